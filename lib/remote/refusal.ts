import { RemoteError } from './errors.ts';

/**
 * Reasons git's receive-pack gives for not updating a ref because the branch moved under the push (or another
 * writer was updating it at that moment): answered by fetching, merging and pushing again. Any other reason
 * (`pre-receive hook declined`, `hook declined`, `protected branch hook declined`, …) is the remote's policy.
 */
const BRANCH_MOVED =
  /non-fast-forward|fetch first|stale info|failed to lock|failed to update ref|cannot lock ref|incorrect old value/i;

/** Progress the server sends on the same channel as a hook's output. */
const PROGRESS =
  /^(Resolving deltas|Counting objects|Compressing objects|Writing objects|Total \d|Unpacking objects)\b/;

/**
 * The RemoteError for a ref update the remote refused with `reason`: `rejected` when the branch moved on,
 * else `declined`, with the lines the remote printed (its hook's messages) as the remote's own words.
 */
export function refusedUpdate(where: string, branch: string, reason: string, remoteLines: string[]): RemoteError {
  if (BRANCH_MOVED.test(reason))
    return new RemoteError(
      'rejected',
      `${where}: the remote branch ${branch} has commits this repository does not have.`,
    );
  const words = remoteLines
    .flatMap((line) => line.split(/[\r\n]+/))
    .map((line) => line.replace(/^remote:\s?/, '').trim())
    .filter((line) => line && !PROGRESS.test(line))
    .join('; ');
  const remoteMessage = words ? `${words} (${reason})` : reason;
  return new RemoteError(
    'declined',
    `${where}: the remote refused the update of ${branch}: ${remoteMessage}.`,
    remoteMessage,
  );
}
