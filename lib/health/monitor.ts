import { silentLogger, type Logger } from '../log/index.ts';
import { systemClock, type Clock } from '../concurrency/clock.ts';
import { combineReadiness, type Readiness, type ReadinessSource } from './readiness.ts';

export interface HealthMonitorOptions {
  /** Read in order: the first that is not ready is the reason /readyz gives. */
  sources: () => Iterable<ReadinessSource>;
  logger?: Logger;
  clock?: Clock;
  /** How often the sources are looked at for the log (default 1 s). */
  intervalMs?: number;
}

/**
 * Looks at the readiness sources every second and logs each change: a source that stops being ready
 * at error level with its reason (once, not every second), its recovery at info level. A failing state
 * nobody scrapes /readyz for still shows in the log. A source that has not been ready yet is starting
 * (the first full sync), not failing.
 */
export class HealthMonitor {
  private readonly options: HealthMonitorOptions;
  private readonly clock: Clock;
  /** Sources that have been ready, and whether they are now. */
  private readonly wasReady = new Map<string, boolean>();
  private cancelTimer?: () => void;

  constructor(options: HealthMonitorOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  readiness(): Readiness {
    return combineReadiness(this.options.sources());
  }

  start(): void {
    if (this.cancelTimer) return;
    // The first look is now, not a second later: a source that is ready at start and fails within that
    // second would otherwise be taken for one still starting, and its failure never logged.
    this.tick();
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** Logs the sources whose readiness changed since the last look. */
  private look(): void {
    const logger = this.options.logger ?? silentLogger;
    for (const source of this.options.sources()) {
      const { ready, detail } = source.check();
      const before = this.wasReady.get(source.name);
      if (before === undefined && !ready) continue;
      if (before === true && !ready) logger.error('not ready', { source: source.name, reason: detail });
      if (before === false && ready) logger.info('ready again', { source: source.name });
      this.wasReady.set(source.name, ready);
    }
  }

  private tick(): void {
    this.look();
    this.cancelTimer = this.clock.setTimer(() => this.tick(), this.options.intervalMs ?? 1000);
  }
}
