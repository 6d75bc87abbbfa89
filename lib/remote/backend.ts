import type { GitCredentials } from './credentials.ts';

/** Where the repository lives on disk and which remote branch it follows. */
export interface GitBackendOptions {
  /** The repository folder (work tree or bare repository) and its gitdir. */
  dir: string;
  gitdir: string;
  url: string;
  /** The local branch pushed, and the remote branch it goes to. */
  localBranch: string;
  remoteBranch: string;
  credentials?: GitCredentials;
  /** Environment of git processes (native backend): GIT_SSH_COMMAND, SSH_AUTH_SOCK, HOME come from here. */
  env?: NodeJS.ProcessEnv;
}

/** The ref that records the remote branch's tip as last fetched or pushed: what is known to be on the remote. */
export function trackingRef(remoteBranch: string): string {
  return `refs/remotes/kubesnap/${remoteBranch}`;
}

/** Where a fetched notes ref (`refs/notes/kubesnap-drills`) is kept before it is merged into the local one. */
export function notesTrackingRef(notesRef: string): string {
  return `refs/remotes/kubesnap/notes/${notesRef.replace(/^refs\/notes\//, '')}`;
}

/**
 * Moves commits between the local repository and one branch of a Git remote. Both implementations work on the
 * repository the store writes, keep `trackingRef` current, store no credential anywhere, and throw RemoteError.
 */
export interface GitBackend {
  readonly name: 'isomorphic' | 'native';
  /** Fetches the remote branch into the tracking ref: its tip, or undefined when the remote has no such branch. */
  fetch(): Promise<string | undefined>;
  /** Fetches a notes ref of the remote into `notesTrackingRef`: its tip, or undefined when the remote has none. */
  fetchNotes(notesRef: string): Promise<string | undefined>;
  /** Pushes the local branch to the remote branch (rejected unless a fast-forward, or `force`). */
  push(options?: { force?: boolean }): Promise<void>;
  /** The tracking ref's commit: the remote tip as last seen. */
  trackedTip(): Promise<string | undefined>;
}
