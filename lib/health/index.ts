/**
 * lib/health — whether a running watch is doing its job, told by its parts. Each part (the API
 * server's reachability, the commits, the repository, the remote) is a ReadinessSource; the status
 * server's /readyz, the `kubesnap_ready` metric and the error log all read the same sources.
 */
export { systemClock, type Clock } from '../concurrency/clock.ts';
export { HealthMonitor } from './monitor.ts';
export { combineReadiness, type Readiness, type ReadinessSource } from './readiness.ts';

/** `45s`, `2m30s`, `1h5m`: how long something has lasted, for a readiness detail or a log line. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  return `${Math.floor(minutes / 60)}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
}
