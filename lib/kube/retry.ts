import { sleep } from '../concurrency/index.ts';
import { ApiError, isRetriable } from './api-error.ts';

export interface BackoffOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  signal?: AbortSignal;
  /** For tests: where jitter comes from. */
  random?: () => number;
}

/** Exponential backoff with full jitter, capped; 429 answers wait at least their Retry-After. */
export function backoffDelay(attempt: number, error: unknown, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 200;
  const max = options.maxMs ?? 30_000;
  const jittered = Math.round((options.random ?? Math.random)() * Math.min(max, base * 2 ** attempt));
  const retryAfterMs =
    error instanceof ApiError && error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 0;
  return Math.max(jittered, retryAfterMs);
}

/** Calls `work` until it succeeds, retrying errors a retry may cure (429, 5xx). */
export async function withRetry<T>(work: () => Promise<T>, options: BackoffOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isRetriable(error) || attempt + 1 >= attempts || options.signal?.aborted) throw error;
      await sleep(backoffDelay(attempt, error, options), options.signal);
    }
  }
}
