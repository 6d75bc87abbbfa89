import { Option, type Command } from 'commander';
import { UsageError } from '../../lib/errors/index.ts';
import type { Logger } from '../../lib/log/index.ts';
import type { GitBackendKind, RemoteSync } from '../../lib/remote/index.ts';
import type { Author, SnapshotRepository } from '../../lib/store/index.ts';
import type { RepositoryFlags } from './repository.ts';

/** `--remote`, `--branch`, `--git`, `--git-token-file`, `--force-push`: the history pushed to a Git remote. */
export function addRemoteOptions(command: Command): Command {
  return command
    .option(
      '--remote <url>',
      'push the history to this Git remote (https://…; with --git native also ssh:// and whatever git reaches)',
    )
    .option('--branch <name>', 'the remote branch to push to', 'main')
    .addOption(
      new Option(
        '--git <backend>',
        'how to talk to the remote: isomorphic (built in, HTTP(S)) or native (the installed git: SSH, credential helpers)',
      )
        .choices(['isomorphic', 'native'])
        .default('isomorphic'),
    )
    .option(
      '--git-token-file <file>',
      'HTTPS token for the remote, read from this file (else $KUBESNAP_GIT_TOKEN; never given on the command line)',
    )
    .option('--force-push', 'overwrite the remote branch instead of continuing on top of what it has');
}

/** What `addRemoteOptions` parses. */
export interface RemoteFlags {
  remote?: string;
  branch: string;
  git: GitBackendKind;
  gitTokenFile?: string;
  forcePush?: boolean;
}

/** The RemoteSync the remote flags ask for, or undefined without --remote. */
export async function remoteSyncFrom(
  options: RemoteFlags & RepositoryFlags,
  repository: SnapshotRepository,
  extra: {
    author: Author;
    logger?: Logger;
    pushIntervalMs?: number;
    waitForRemoteWhenEmpty?: boolean;
    notesRefs?: string[];
  },
): Promise<RemoteSync | undefined> {
  if (!options.remote) {
    if (options.gitTokenFile || options.forcePush)
      throw new UsageError('--git-token-file and --force-push need --remote.');
    return undefined;
  }
  const { branch } = options;
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || /\.\.|\/\/|^[/.]|[/.]$|\.lock$/.test(branch))
    throw new UsageError(`--branch "${branch}" is not a valid branch name.`);
  // Both Git backends (isomorphic-git, simple-git) load with lib/remote: only when there is a remote.
  const { createGitBackend, gitCredentials, RemoteSync } = await import('../../lib/remote/index.ts');
  const backend = createGitBackend(options.git, {
    dir: repository.dir,
    gitdir: repository.gitdir,
    url: options.remote,
    localBranch: repository.branch,
    remoteBranch: branch,
    credentials: gitCredentials({ tokenFile: options.gitTokenFile, env: process.env }),
  });
  return new RemoteSync({
    repository,
    backend,
    prefix: options.prefix,
    author: extra.author,
    force: Boolean(options.forcePush),
    pushIntervalMs: extra.pushIntervalMs,
    waitForRemoteWhenEmpty: extra.waitForRemoteWhenEmpty,
    notesRefs: extra.notesRefs,
    logger: extra.logger,
  });
}
