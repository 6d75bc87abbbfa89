/**
 * lib/remote — off-site history: keeps the snapshot repository's branch and a branch of a Git remote in step.
 *
 *   const backend = createGitBackend('isomorphic' | 'native', { dir, gitdir, url, localBranch, remoteBranch, credentials?, env? })
 *   const remote = new RemoteSync({ repository, backend, prefix?, author, force?, pushIntervalMs?, notReadyAfterMs?, waitForRemoteWhenEmpty?, notesRefs?, logger? })
 *   await remote.start()      fetch; fast-forward or merge on top of the remote (never a rewrite); with
 *                             waitForRemoteWhenEmpty, a new empty repository fetches until the remote answers
 *                             notesRefs (refs/notes/kubesnap-drills) are fetched on start and at the push
 *                             interval and merged into the local ones, losing no note (never pushed)
 *   await remote.push()       push; a rejection (the branch moved on) is fetched, merged and pushed again;
 *                             a refusal by a hook or policy (RemoteError 'declined') is not
 *   remote.requestPush()      push soon, at most every push interval, backing off after failures (watch)
 *   await remote.stop()       one last push
 *   remote.status()           { unpushedCommits, oldestUnpushedAt?, lastPushAt?, lastError? }
 *   remote.check()            ReadinessSource "remote": { ready, detail }: "ok", "2 commits not pushed since …",
 *                             "push rejected by the remote: <its message>", "authentication failed: …",
 *                             "pushes have failed for 5m: …"
 *   gitCredentials({ tokenFile?, env })  → { username, token } | undefined (KUBESNAP_GIT_TOKEN, KUBESNAP_GIT_USERNAME)
 *   redactUrl(url)            a URL without its userinfo, for printing
 *
 * isomorphic-git (default) speaks HTTP(S) in-process; native runs the installed git (SSH, credential helpers).
 * Credentials are never written to disk, put on a command line, logged, or quoted in an error. Errors are RemoteError.
 */
import type { GitBackend, GitBackendOptions } from './backend.ts';
import { IsomorphicGitBackend } from './isomorphic-backend.ts';
import { NativeGitBackend } from './native-backend.ts';

export type GitBackendKind = 'isomorphic' | 'native';

export function createGitBackend(kind: GitBackendKind, options: GitBackendOptions): GitBackend {
  return kind === 'native' ? new NativeGitBackend(options) : new IsomorphicGitBackend(options);
}

export { type GitBackend, type GitBackendOptions } from './backend.ts';
export { gitCredentials, type GitCredentials } from './credentials.ts';
export { RemoteError } from './errors.ts';
export { RemoteSync, type RemoteSyncOptions } from './remote-sync.ts';
