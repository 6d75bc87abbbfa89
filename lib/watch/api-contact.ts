import { systemClock, formatDuration, type Clock, type Readiness, type ReadinessSource } from '../health/index.ts';
import { ApiError } from '../kube/index.ts';

/** Where a reflector reports whether its requests reached the API server. */
export interface ContactRecorder {
  /** The server answered (a list, a watch event, or an error Status: it is there). */
  answered(): void;
  /** A request got no answer at all (connection refused, reset, timed out, TLS). */
  failed(error: unknown): void;
}

export interface ApiContactOptions {
  /** Not ready once every request has failed for this long (default 30 s). */
  unreachableAfterMs?: number;
  clock?: Clock;
}

export const DEFAULT_UNREACHABLE_AFTER_MS = 30_000;

/**
 * Whether the API server can be reached, from every list, watch and discovery request of a watch.
 * A quiet cluster sends nothing for minutes and is fine; what counts is the time since the first
 * request that failed without an answer after the last one that got one.
 */
export class ApiContact implements ContactRecorder, ReadinessSource {
  readonly name = 'api';
  private readonly clock: Clock;
  private readonly unreachableAfterMs: number;
  private failingSince?: number;
  private lastFailure = '';

  constructor(options: ApiContactOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.unreachableAfterMs = options.unreachableAfterMs ?? DEFAULT_UNREACHABLE_AFTER_MS;
  }

  answered(): void {
    this.failingSince = undefined;
  }

  failed(error: unknown): void {
    if (error instanceof ApiError) return this.answered();
    this.failingSince ??= this.clock.now();
    this.lastFailure = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  }

  check(): Readiness {
    if (this.failingSince === undefined) return { ready: true, detail: 'ok' };
    const failingFor = this.clock.now() - this.failingSince;
    if (failingFor < this.unreachableAfterMs) return { ready: true, detail: 'ok' };
    return { ready: false, detail: `no answer from the API server for ${formatDuration(failingFor)}: ${this.lastFailure}` };
  }
}
