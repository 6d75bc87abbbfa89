import { simpleGit, type SimpleGit } from 'simple-git';
import { notesTrackingRef, trackingRef, type GitBackend, type GitBackendOptions } from './backend.ts';
import { RemoteError, type RemoteFailure } from './errors.ts';
import { redactText, redactUrl } from './redact.ts';
import { refusedUpdate } from './refusal.ts';

/** The failures git's messages say; a ref the remote refused (`declined` or `rejected`) is told apart by refusal.ts. */
type MessageFailure = Exclude<RemoteFailure, 'declined'>;

const FAILURES: Array<[MessageFailure, RegExp]> = [
  ['rejected', /\[rejected\]|non-fast-forward|\(fetch first\)|stale info|cannot lock ref|failed to lock/],
  [
    'auth',
    /Authentication failed|returned error: 40[13]|HTTP 40[13]|could not read (Username|Password)|terminal prompts disabled|Permission denied/i,
  ],
  ['missing', /does not appear to be a git repository|Repository not found|returned error: 404|HTTP 404/i],
  [
    'network',
    /Could not resolve host|Failed to connect|Connection refused|Connection timed out|Connection reset|unable to access|Could not read from remote repository|early EOF|Connection closed/i,
  ],
];

const SENTENCES: Record<MessageFailure, string> = {
  rejected: 'the remote branch has commits this repository does not have',
  auth: 'the remote refused the credentials; check KUBESNAP_GIT_TOKEN, --git-token-file, or your git credentials and SSH keys',
  missing: 'there is no repository at that URL',
  network: 'the remote cannot be reached',
  other: 'git failed',
};

/**
 * Git through the installed `git` binary (simple-git): SSH, and whatever the user's git config, credential
 * helpers and SSH agent give. A token goes in as an `http.extraHeader` set through GIT_CONFIG_* variables in the
 * environment of each git process: never on a command line, never in a config file.
 */
const UNUSED_BY_FETCH_AND_PUSH = new Set([
  'editor',
  'visual',
  'git_editor',
  'git_sequence_editor',
  'pager',
  'git_pager',
  'prefix',
]);

export class NativeGitBackend implements GitBackend {
  readonly name = 'native';
  private readonly git: SimpleGit;

  constructor(private readonly options: GitBackendOptions) {
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0' };
    if (options.credentials) {
      const basic = Buffer.from(`${options.credentials.username}:${options.credentials.token}`).toString('base64');
      Object.assign(env, {
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'http.extraHeader',
        GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
      });
    }
    // Fetch and push never open an editor or a pager, so those variables are dropped rather than allowed
    // (npm sets EDITOR for its scripts, and simple-git refuses to run with it).
    const defined = Object.fromEntries(
      Object.entries(env).filter(
        (entry): entry is [string, string] =>
          entry[1] !== undefined && !UNUSED_BY_FETCH_AND_PUSH.has(entry[0].toLowerCase()),
      ),
    );
    // The environment is the user's own plus our header: let git use its SSH command, askpass and config variables.
    this.git = simpleGit({
      baseDir: options.gitdir,
      allowEnvironment: Object.keys(defined),
      unsafe: { allowUnsafeConfigEnvCount: true, allowUnsafeSshCommand: true, allowUnsafeAskPass: true },
    }).env(defined);
  }

  async fetch(): Promise<string | undefined> {
    const branch = this.options.remoteBranch;
    try {
      await this.git.raw([
        'fetch',
        '--no-tags',
        '--no-write-fetch-head',
        '--',
        this.options.url,
        `+refs/heads/${branch}:${trackingRef(branch)}`,
      ]);
    } catch (error) {
      if (/couldn't find remote ref/i.test(String((error as Error).message))) return undefined;
      throw this.failure('Fetching from', error);
    }
    return this.trackedTip();
  }

  async fetchNotes(notesRef: string): Promise<string | undefined> {
    try {
      await this.git.raw([
        'fetch',
        '--no-tags',
        '--no-write-fetch-head',
        '--',
        this.options.url,
        `+${notesRef}:${notesTrackingRef(notesRef)}`,
      ]);
    } catch (error) {
      if (/couldn't find remote ref/i.test(String((error as Error).message))) return undefined;
      throw this.failure('Fetching from', error);
    }
    const id = await this.git
      .raw(['rev-parse', '--verify', '-q', `${notesTrackingRef(notesRef)}^{commit}`])
      .catch(() => '');
    return id.trim() || undefined;
  }

  async push(options: { force?: boolean } = {}): Promise<void> {
    const head = (
      await this.git.raw(['rev-parse', '--verify', `refs/heads/${this.options.localBranch}^{commit}`])
    ).trim();
    try {
      await this.git.raw([
        'push',
        ...(options.force ? ['--force'] : []),
        '--',
        this.options.url,
        `${head}:refs/heads/${this.options.remoteBranch}`,
      ]);
    } catch (error) {
      throw this.failure('Pushing to', error);
    }
    await this.git.raw(['update-ref', trackingRef(this.options.remoteBranch), head]);
  }

  async trackedTip(): Promise<string | undefined> {
    const id = await this.git
      .raw(['rev-parse', '--verify', '-q', `${trackingRef(this.options.remoteBranch)}^{commit}`])
      .catch(() => '');
    return id.trim() || undefined;
  }

  private failure(action: string, error: unknown): RemoteError {
    const text = redactText(error instanceof Error ? error.message : String(error), [this.options.credentials?.token]);
    // " ! [remote rejected] main -> main (pre-receive hook declined)", after the hook's own "remote: …" lines.
    const refused = /\[remote rejected\][^\n(]*\(([^)\n]*)\)/.exec(text);
    if (refused) {
      const remoteLines = text.split('\n').filter((line) => line.startsWith('remote:'));
      return refusedUpdate(
        `${action} ${redactUrl(this.options.url)} failed`,
        this.options.remoteBranch,
        refused[1],
        remoteLines,
      );
    }
    const failure = FAILURES.find(([, pattern]) => pattern.test(text))?.[0] ?? 'other';
    const detail = failure === 'other' ? `${SENTENCES.other}: ${text.trim().split('\n').pop()}` : SENTENCES[failure];
    return new RemoteError(failure, `${action} ${redactUrl(this.options.url)} failed: ${detail}.`);
  }
}
