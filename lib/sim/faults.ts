// Failure modes tests switch on: throttling, server errors and latency, consumed request by request.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { sendStatus } from './http-io.ts';
import { internalError, tooManyRequests, type StatusError } from './status.ts';

/** What every request to a broken resource gets: a 500, a 200 whose body is not JSON, or no answer at all. */
export type BrokenAnswer = 'internal-error' | 'not-json' | 'no-answer';

function qualifiedName(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export class RequestFaults {
  private throttled = 0;
  private retryAfterSeconds = 1;
  private failing = 0;
  private readonly forbidden = new Set<string>();
  private readonly broken = new Map<string, BrokenAnswer>();
  delayMs = 0;

  /** Every request to this resource (`secrets`, `widgets.example.com`) is answered 403, as RBAC would. */
  forbid(qualifiedResource: string): void {
    this.forbidden.add(qualifiedResource);
  }

  isForbidden(group: string, resource: string): boolean {
    return this.forbidden.has(qualifiedName(group, resource));
  }

  /** Every request to this resource (`selfsubjectreviews.authentication.k8s.io`) gets `answer` instead of its own. */
  breakResource(qualifiedResource: string, answer: BrokenAnswer): void {
    this.broken.set(qualifiedResource, answer);
  }

  brokenAnswer(group: string, resource: string): BrokenAnswer | undefined {
    return this.broken.get(qualifiedName(group, resource));
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
    this.broken.clear();
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

/** Answers as a broken resource does; a request given no answer is held until its client or the server closes it. */
export async function sendBrokenAnswer(res: ServerResponse, answer: BrokenAnswer): Promise<void> {
  if (answer === 'no-answer') {
    await once(res, 'close');
    return;
  }
  if (answer === 'not-json') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('<html><body>502 Bad Gateway</body></html>\n');
    return;
  }
  sendStatus(res, internalError('injected failure').status);
}
