import { KubesnapError } from '../errors/index.ts';
import { formatDuration, systemClock, type Clock, type Readiness, type ReadinessSource } from '../health/index.ts';

/** Commits kept failing for longer than `--max-failing`: the process should end so it is restarted. */
export class CommitsFailingError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ECOMMITSFAILING', message, 1, options);
  }
}

export interface CommitFailuresOptions {
  clock?: Clock;
  /** How long commits may keep failing before giving up (default 5 minutes). */
  maxFailingMs?: number;
  /** The first retry waits this long, each next one twice as long… (default 1 s) */
  retryFirstMs?: number;
  /** …up to this (default 30 s). */
  retryMaxMs?: number;
}

export const DEFAULT_MAX_FAILING_MS = 5 * 60_000;

/** What happens after a failed commit: try again in a while, or give up. */
export type AfterFailure = { retryInMs: number } | { giveUp: CommitsFailingError };

/**
 * The run of failed commits since the last one that succeeded, as the 'commits' readiness source:
 * when to try again (exponential backoff, the last try at the bound) and when to give up.
 */
export class CommitFailures implements ReadinessSource {
  readonly name = 'commits';
  private readonly clock: Clock;
  private readonly maxFailingMs: number;
  private readonly retryFirstMs: number;
  private readonly retryMaxMs: number;
  private failing?: { since: number; attempts: number; reason: string };

  constructor(options: CommitFailuresOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.maxFailingMs = options.maxFailingMs ?? DEFAULT_MAX_FAILING_MS;
    this.retryFirstMs = options.retryFirstMs ?? 1000;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
  }

  get isFailing(): boolean {
    return this.failing !== undefined;
  }

  succeeded(): void {
    this.failing = undefined;
  }

  failed(error: unknown): AfterFailure {
    const now = this.clock.now();
    const since = this.failing?.since ?? now;
    const attempts = (this.failing?.attempts ?? 0) + 1;
    const reason = reasonOf(error);
    this.failing = { since, attempts, reason };
    const left = since + this.maxFailingMs - now;
    if (left <= 0) {
      return {
        giveUp: new CommitsFailingError(
          `commits have failed for ${formatDuration(now - since)} (${attempts} attempts); the last error: ${reason}.`,
          { cause: error },
        ),
      };
    }
    return { retryInMs: Math.min(this.retryFirstMs * 2 ** (attempts - 1), this.retryMaxMs, left) };
  }

  check(): Readiness {
    if (!this.failing) return { ready: true, detail: 'ok' };
    const { since, attempts, reason } = this.failing;
    return {
      ready: false,
      detail: `the last commit failed and none has succeeded since (${attempts} attempts over ${formatDuration(this.clock.now() - since)}): ${reason}`,
    };
  }
}

/** The first line of an error's message, without its final period: it goes inside a sentence. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].replace(/\.$/, '');
}
