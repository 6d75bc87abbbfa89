// Failure modes tests switch on: throttling, server errors and latency, consumed request by request.
import { internalError, tooManyRequests, type StatusError } from './status.ts';

export class RequestFaults {
  private throttled = 0;
  private retryAfterSeconds = 1;
  private failing = 0;
  delayMs = 0;

  throttleNext(count: number, retryAfterSeconds: number): void {
    this.throttled = count;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  failNext(count: number): void {
    this.failing = count;
  }

  clear(): void {
    this.throttled = 0;
    this.failing = 0;
    this.delayMs = 0;
  }

  /** The error this request must get instead of an answer, if any (with its Retry-After). */
  take(): { error: StatusError; retryAfterSeconds?: number } | undefined {
    if (this.throttled > 0) {
      this.throttled--;
      return { error: tooManyRequests(this.retryAfterSeconds), retryAfterSeconds: this.retryAfterSeconds };
    }
    if (this.failing > 0) {
      this.failing--;
      return { error: internalError('injected failure') };
    }
    return undefined;
  }
}
