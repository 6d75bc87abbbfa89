/**
 * lib/health — whether a running watch is doing its job, told by its parts. Each part (the API
 * server's reachability, the commits, the repository, the remote) is a ReadinessSource; the status
 * server's /readyz, the `kubesnap_ready` metric and the error log all read the same sources.
 */
export { systemClock, type Clock } from './clock.ts';
export { HealthMonitor, type HealthMonitorOptions } from './monitor.ts';

/** What one part of a running watch says about itself: ready, or why not, in one line. */
export interface Readiness {
  ready: boolean;
  detail: string;
}

/** A part of a running watch that can tell whether it is doing its job (watch, history writer, remote, leader). */
export interface ReadinessSource {
  readonly name: string;
  check(): Readiness;
}

/**
 * The readiness of several sources as one: the first that is not ready, named (`commits: …`);
 * else ready, with what the ready ones have to say beyond "ok" (`ok; remote: 2 commits to push`).
 */
export function combineReadiness(sources: Iterable<ReadinessSource>): Readiness {
  const notes: string[] = [];
  for (const source of sources) {
    const { ready, detail } = source.check();
    if (!ready) return { ready: false, detail: `${source.name}: ${detail}` };
    if (detail !== 'ok') notes.push(`${source.name}: ${detail}`);
  }
  return { ready: true, detail: ['ok', ...notes].join('; ') };
}

/** `45s`, `2m30s`, `1h5m`: how long something has lasted, for a readiness detail or a log line. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  return `${Math.floor(minutes / 60)}h${minutes % 60 ? `${minutes % 60}m` : ''}`;
}
