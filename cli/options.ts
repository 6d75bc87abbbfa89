import { Option, type Command } from 'commander';
import { UsageError } from '../lib/errors/index.ts';
import { parseApproxidate } from '../lib/store/approxidate.ts';
import type { KubeClient } from '../lib/kube/index.ts';
import type { LeaderElector } from '../lib/leader/index.ts';
import type { NormalizeOptions, SkipReason } from '../lib/normalize/index.ts';
// skip-reasons.ts, not the index: registering the flags needs the reasons, not the normaliser.
import { skipReasons } from '../lib/normalize/skip-reasons.ts';
import type { RemoteSync, GitBackendKind } from '../lib/remote/index.ts';
import type { SecretSealer } from '../lib/secrets/index.ts';
import type { SelectionOptions } from '../lib/selection/index.ts';
import type { Author, SnapshotRepository } from '../lib/store/index.ts';
import type { Logger } from '../lib/log/index.ts';
import { configuredOrigin } from './config.ts';
import type { GlobalOptions } from './main.ts';

/** Repeatable flags that also take comma-separated lists: `--include deploy,svc --include cm`. */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** kubectl-style filters shared by snapshot, watch, diff and restore. */
export function addSelectionOptions(command: Command): Command {
  return command
    .option(
      '-n, --namespace <names>',
      "only these namespaces: names or globs, comma-separated or repeated (-n shop,payments -n 'team-*')",
      collectList,
    )
    .option('-A, --all-namespaces', 'every namespace (the default)')
    .option(
      '--exclude-namespace <globs>',
      'leave out namespaces matching these globs, comma-separated or repeated',
      collectList,
    )
    .option(
      '--include <kinds>',
      'only these kinds, as kubectl spells them: deploy, deployments.apps, Deployment (repeatable)',
      collectList,
    )
    .option('--exclude <kinds>', 'leave out these kinds (repeatable)', collectList)
    .option('-l, --selector <selector>', 'only objects matching this label selector');
}

/** What `addSelectionOptions` parses. */
export interface SelectionFlags {
  namespace?: string[];
  allNamespaces?: boolean;
  excludeNamespace?: string[];
  include?: string[];
  exclude?: string[];
  selector?: string;
}

export function selectionFrom(options: SelectionFlags): SelectionOptions {
  if (options.allNamespaces && options.namespace?.length)
    throw new UsageError('--namespace and --all-namespaces cannot be used together.');
  return {
    namespaces: options.namespace,
    excludeNamespaces: options.excludeNamespace,
    include: options.include,
    exclude: options.exclude,
    labelSelector: options.selector,
  };
}

/** Skip policies, each a flag away (`--include-owned`), and what happens to Secret values. */
export function addNormalizeOptions(command: Command): Command {
  for (const [reason, { description, includeFlag }] of Object.entries(skipReasons)) {
    if (reason === 'secrets') continue;
    command.option(includeFlag, `keep what is skipped by default: ${description}`);
  }
  return command
    .addOption(
      new Option(
        '--secrets <mode>',
        'Secret values: redact (keyed HMAC-SHA256 digests), skip, or plain (stored readable)',
      )
        .choices(['redact', 'skip', 'plain'])
        .default('redact'),
    )
    .option(
      '--digest-key-file <file>',
      `the key of redacted values' digests, never committed (else $${DIGEST_KEY_FILE_VARIABLE}, else a random key kept in the repository's git folder)`,
    )
    .hook('preAction', warnOfConfiguredPlainSecrets);
}

const DIGEST_KEY_FILE_VARIABLE = 'KUBESNAP_DIGEST_KEY_FILE';

/** Readable Secrets are asked for silently only on the command line: a file or a variable may be a surprise, on every run. */
function warnOfConfiguredPlainSecrets(command: Command): void {
  const origin = configuredOrigin(command, 'secrets');
  if (origin === undefined || command.getOptionValue('secrets') !== 'plain') return;
  process.stderr.write(
    `warning: Secret values are stored readable because ${origin} sets secrets: plain; only --secrets plain on the command line does so without this warning.\n`,
  );
}

/** What `addNormalizeOptions` parses, besides an `--include-<reason>` flag per skip reason. */
export interface NormalizeFlags {
  secrets?: 'redact' | 'skip' | 'plain';
  digestKeyFile?: string;
}

export async function normalizeFrom(options: NormalizeFlags): Promise<NormalizeOptions> {
  const include = new Set<SkipReason>();
  // The --include-<reason> flags are named by skipReasons, so they are looked up by name.
  const flags: Readonly<Record<string, unknown>> = options as Readonly<Record<string, unknown>>;
  for (const [reason, { includeFlag }] of Object.entries(skipReasons) as Array<[SkipReason, { includeFlag: string }]>) {
    if (flags[camelCase(includeFlag.replace(/^--/, ''))]) include.add(reason);
  }
  const [keyFile, source]: [string | undefined, string] = options.digestKeyFile
    ? [options.digestKeyFile, '--digest-key-file']
    : [process.env[DIGEST_KEY_FILE_VARIABLE], DIGEST_KEY_FILE_VARIABLE];
  // Without a file, the library takes the repository's own key (lib/secrets/digest-key.ts).
  const digestKey = keyFile
    ? await (await import('../lib/secrets/digest-key.ts')).readDigestKeyFile(keyFile, source)
    : undefined;
  return { include, secrets: options.secrets, digestKey };
}

/** Repeatable flags taken as given, commas and all: `--path 'a,b' --path c`. */
export function collectValues(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--age-recipient` / `--age-recipients-file`: Secret values are committed encrypted with age. */
export function addAgeRecipientOptions(command: Command): Command {
  return command
    .option(
      '--age-recipient <recipient>',
      'encrypt Secret values with age to this recipient (age1…, repeatable)',
      collectValues,
    )
    .option(
      '--age-recipients-file <file>',
      'encrypt Secret values with age to the recipients in this file (one per line, # comments)',
    );
}

/** What `addAgeRecipientOptions` parses. */
export interface AgeRecipientFlags {
  ageRecipient?: string[];
  ageRecipientsFile?: string;
}

/** The sealer the recipient flags ask for, or undefined without them. */
export async function sealerFrom(
  options: AgeRecipientFlags & Pick<NormalizeFlags, 'secrets'>,
): Promise<SecretSealer | undefined> {
  if (!options.ageRecipient?.length && !options.ageRecipientsFile) return undefined;
  const { parseRecipients, readRecipientsFile, SecretSealer } = await import('../lib/secrets/index.ts');
  const recipients = [
    ...parseRecipients(options.ageRecipient ?? [], '--age-recipient'),
    ...(options.ageRecipientsFile ? await readRecipientsFile(options.ageRecipientsFile) : []),
  ];
  if (recipients.length === 0) return undefined;
  if (options.secrets !== undefined && options.secrets !== 'redact') {
    throw new UsageError(
      `--age-recipient encrypts Secret values; it cannot be combined with --secrets ${options.secrets}.`,
    );
  }
  return new SecretSealer(recipients);
}

/** `--age-identity FILE` (repeatable): decrypts Secret values committed encrypted. */
export function addAgeIdentityOption(command: Command): Command {
  return command.option(
    '--age-identity <file>',
    'decrypt Secret values committed encrypted with this age identity file (as age-keygen writes it; repeatable)',
    collectValues,
  );
}

/** What `addAgeIdentityOption` parses. */
export interface AgeIdentityFlags {
  ageIdentity?: string[];
}

export async function ageIdentitiesFrom(options: AgeIdentityFlags): Promise<string[] | undefined> {
  const files = options.ageIdentity ?? [];
  if (files.length === 0) return undefined;
  const { readIdentityFile } = await import('../lib/secrets/index.ts');
  return (await Promise.all(files.map(readIdentityFile))).flat();
}

/** `--leader-elect` and its Lease (watch). */
export function addLeaderElectionOptions(command: Command): Command {
  return command
    .option(
      '--leader-elect',
      'run as one of several replicas: only the holder of a coordination.k8s.io Lease watches and commits',
    )
    .option(
      '--lease-namespace <namespace>',
      "namespace of the Lease (default: the pod's own namespace in a cluster, else the kubeconfig context's, else default)",
    )
    .option('--lease-name <name>', 'name of the Lease', 'kubesnap')
    .option(
      '--lease-duration <duration>',
      'how long a Lease nobody renews stays held; renewed every 2/15 of it and given up after 2/3 without a renewal, as client-go',
      '15s',
    );
}

/** What `addLeaderElectionOptions` parses. */
export interface LeaderElectionFlags {
  leaderElect?: boolean;
  leaseNamespace?: string;
  leaseName: string;
  leaseDuration: string;
}

/** The elector `--leader-elect` asks for, or undefined without it. */
export async function leaderElectorFrom(
  options: LeaderElectionFlags,
  client: KubeClient,
  logger: Logger,
): Promise<LeaderElector | undefined> {
  const leaseDurationMs = parseDuration(options.leaseDuration, '--lease-duration');
  if (leaseDurationMs < 1000)
    throw new UsageError(`--lease-duration "${options.leaseDuration}" is shorter than a second.`);
  if (!options.leaderElect) return undefined;
  const { defaultLeaseNamespace, LeaderElector } = await import('../lib/leader/index.ts');
  return new LeaderElector({
    client,
    logger,
    leaseDurationMs,
    namespace: options.leaseNamespace ?? defaultLeaseNamespace(client.connection),
    name: options.leaseName,
  });
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** What `addCommitOptions` parses. */
export interface CommitFlags extends RepositoryFlags {
  author?: string;
}

/** Where and as whom commits are written: shared by snapshot and watch. */
export function addCommitOptions(command: Command): Command {
  return addRepositoryOptions(command, { write: true }).option('--author <identity>', 'commit author, "Name <email>"');
}

/** What `addRepositoryOptions` parses. */
export interface RepositoryFlags {
  prefix?: string;
}

/** `--prefix`: the folder of the `--repo` repository a cluster is written under (the repository itself is a global flag). */
export function addRepositoryOptions(command: Command, { write }: { write: boolean }): Command {
  return command.option(
    '--prefix <dir>',
    write
      ? 'write under this folder of the repository (e.g. clusters/prod)'
      : 'the folder of the repository the snapshot was written under',
  );
}

/**
 * The `--repo` repository. Only a command that writes creates it: a reader of a missing one would get an empty
 * repository and then a confusing "unknown revision" instead of "there is no git repository".
 */
export async function openRepository(
  options: Pick<GlobalOptions, 'repo'>,
  { write }: { write: boolean },
): Promise<SnapshotRepository> {
  const { SnapshotRepository } = await import('../lib/store/index.ts');
  return SnapshotRepository.open(options.repo, { create: write });
}

/** `Name <email>` as git spells an identity. */
export function parseAuthor(text: string | undefined): Author {
  if (!text) return { name: 'kubesnap', email: 'kubesnap@localhost' };
  const match = /^\s*([^<>]+?)\s*<([^<>\s]+)>\s*$/.exec(text);
  if (!match) throw new UsageError(`--author "${text}" is not of the form "Name <email>".`);
  return { name: match[1], email: match[2] };
}

/** What `addOutputOption` parses. */
export interface OutputFlags {
  output: 'text' | 'json';
}

/** `-o/--output text|json`. */
export function addOutputOption(command: Command): Command {
  return command.addOption(
    new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
  );
}

/** A command's own options (`Flags`: what its `add*Options` and `.option()`s parse) with the global ones. */
export function globalsOf<Flags extends object>(command: Command): GlobalOptions & Flags {
  return command.optsWithGlobals<GlobalOptions & Flags>();
}

/** `5s`, `500ms`, `2m`, `1h`, or `0` → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  if (text.trim() === '0') return 0;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag} "${text}" is not a duration like 500ms, 5s, 2m or 1h.`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

/** `--at`: a time as git reads one (`2026-11-20T10:00Z`, `yesterday`, `2 hours ago`, `1h`). */
export function parseTime(text: string, flag: string): Date {
  const seconds = parseApproxidate(text);
  if (seconds === undefined)
    throw new UsageError(`${flag} "${text}" is not a time (e.g. 2026-11-20T10:00Z, yesterday, "2 hours ago", 1h).`);
  return new Date(seconds * 1000);
}

export function parsePositiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} "${text}" is not a positive whole number.`);
  return value;
}

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
  const { createGitBackend, gitCredentials, RemoteSync } = await import('../lib/remote/index.ts');
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
