import type { Clock } from '../health/index.ts';
import type { KubeClient } from '../kube/index.ts';
import type { ApiContact } from './api-contact.ts';

export interface ApiProbeOptions {
  /** A client whose requests never queue behind lists (the watcher's stream client). */
  client: KubeClient;
  contact: ApiContact;
  /** Probe when nothing was heard for this long, and give each probe this long to be answered. */
  intervalMs: number;
  clock: Clock;
  signal: AbortSignal;
}

/**
 * Asks the API server for /version whenever nothing has been heard from it for `intervalMs`. A server
 * behind a dead node or a network partition refuses nothing: open watch streams just go quiet and new
 * connections hang, so without asking, nothing would ever count as failed.
 */
export async function probeWhileQuiet(options: ApiProbeOptions): Promise<void> {
  const { client, contact, intervalMs, clock, signal } = options;
  while (!signal.aborted) {
    try {
      await clock.sleep(intervalMs, signal);
    } catch {
      return;
    }
    if (contact.quietForMs < intervalMs) continue;
    try {
      await client.json('GET', '/version', { signal, timeoutMs: intervalMs });
      contact.answered();
    } catch (error) {
      if (signal.aborted) return;
      contact.failed(error);
    }
  }
}
