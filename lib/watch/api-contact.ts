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
 * Whether the API server can be reached, from every list, watch, discovery and probe request of a
 * watch: not ready when the last request failed without an answer and the last answer is older than
 * the bound. (A quiet cluster sends nothing for minutes; the watcher's probe keeps asking then.)
 */
export class ApiContact implements ContactRecorder, ReadinessSource {
  readonly name = 'api';
  private readonly clock: Clock;
  private readonly unreachableAfterMs: number;
  private lastFailure?: string;
  private lastAnswer: number;

  constructor(options: ApiContactOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.unreachableAfterMs = options.unreachableAfterMs ?? DEFAULT_UNREACHABLE_AFTER_MS;
    this.lastAnswer = this.clock.now();
  }

  /** How long nothing has been heard from the API server. */
  get quietForMs(): number {
    return this.clock.now() - this.lastAnswer;
  }

  answered(): void {
    this.lastFailure = undefined;
    this.lastAnswer = this.clock.now();
  }

  failed(error: unknown): void {
    if (error instanceof ApiError) return this.answered();
    this.lastFailure = (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
  }

  check(): Readiness {
    const quietFor = this.quietForMs;
    if (this.lastFailure === undefined || quietFor < this.unreachableAfterMs) return { ready: true, detail: 'ok' };
    return {
      ready: false,
      detail: `no answer from the API server for ${formatDuration(quietFor)}: ${this.lastFailure}`,
    };
  }
}
