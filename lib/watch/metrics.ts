/** Counters a Watcher reports to, per qualified resource name (prom-client in the CLI, a recorder in tests). */
export interface WatchMetrics {
  /** A watch event arrived (type: ADDED, MODIFIED, DELETED, BOOKMARK). */
  event(resource: string, type: string): void;
  /** A watch the server ended (its timeoutSeconds) was started again from the last version seen. */
  restart(resource: string): void;
  /** The collection was listed again (410 Expired, or the server's versions went back). */
  relist(resource: string): void;
  /** A list or watch failed and is retried with backoff. */
  error(resource: string): void;
}
