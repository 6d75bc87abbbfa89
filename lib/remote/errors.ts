import { KubesnapError } from '../errors/index.ts';

/**
 * Why talking to the remote failed: each kind is handled differently. `rejected`: the remote branch moved on
 * (not a fast-forward, or another writer held it), so it is fetched, merged and pushed again. `declined`: a
 * hook or policy of the remote refused the update; nothing local can change that, so it is tried again only
 * at the next scheduled push.
 */
export type RemoteFailure = 'auth' | 'network' | 'rejected' | 'declined' | 'missing' | 'other';

/** The Git remote could not be read or written. Local commits are kept; the message never holds a credential. */
export class RemoteError extends KubesnapError {
  constructor(
    readonly failure: RemoteFailure,
    message: string,
    /** For `declined`: what the remote said, its hook's own lines and git's reason, e.g. `policy: … (pre-receive hook declined)`. */
    readonly remoteMessage?: string,
  ) {
    super('EREMOTE', message, 1);
  }
}
