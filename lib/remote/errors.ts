import { KubesnapError } from '../errors/index.ts';

/** Why talking to the remote failed: each kind is handled differently (a rejection is merged and retried). */
export type RemoteFailure = 'auth' | 'network' | 'rejected' | 'missing' | 'other';

/** The Git remote could not be read or written. Local commits are kept; the message never holds a credential. */
export class RemoteError extends KubesnapError {
  constructor(
    readonly failure: RemoteFailure,
    message: string,
  ) {
    super('EREMOTE', message, 1);
  }
}
