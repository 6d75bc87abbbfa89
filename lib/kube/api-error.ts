import { KubesnapError } from '../errors/index.ts';

/** A Kubernetes Status the API server answered with (4xx/5xx), kept with its code and reason. */
export class ApiError extends KubesnapError {
  readonly status: number;
  readonly reason: string;
  readonly retryAfterSeconds?: number;
  readonly details?: Record<string, unknown>;
  constructor(
    status: number,
    reason: string,
    message: string,
    extra: { retryAfterSeconds?: number; details?: Record<string, unknown> } = {},
  ) {
    super(`E${status}`, message, 1);
    this.status = status;
    this.reason = reason;
    this.retryAfterSeconds = extra.retryAfterSeconds;
    this.details = extra.details;
  }
}

/** Status reasons worth telling apart at call sites. */
export const isNotFound = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 404;
export const isForbidden = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 403;
export const isConflict = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 409;
export const isGone = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 410;
/** A collection that cannot be listed (forbidden, not served, no list verb): reported as unreadable, not fatal. */
export const isUnreadableCollection = (error: unknown): error is ApiError =>
  error instanceof ApiError && (error.status === 403 || error.status === 404 || error.status === 405);
/** Errors a retry may cure: throttling, server-side failures, unavailable aggregated APIs. */
export const isRetriable = (error: unknown): boolean =>
  error instanceof ApiError && (error.status === 429 || error.status >= 500);
