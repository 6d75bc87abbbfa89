// Failure modes tests switch on: throttling, server errors and latency, consumed request by request.
import { internalError, tooManyRequests, type StatusError } from './status.ts';

export class RequestFaults {
  private throttled = 0;
  private retryAfterSeconds = 1;
  private failing = 0;
  private readonly forbidden = new Set<string>();
  delayMs = 0;

  /** Every request to this resource (`secrets`, `widgets.example.com`) is answered 403, as RBAC would. */
  forbid(qualifiedResource: string): void {
    this.forbidden.add(qualifiedResource);
  }

  isForbidden(group: string, resource: string): boolean {
    return this.forbidden.has(group ? `${resource}.${group}` : resource);
  }

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
    this.forbidden.clear();
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
