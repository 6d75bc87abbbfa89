import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { systemClock, type Clock, type ReadinessSource } from '../health/index.ts';

/** What `kubesnap drill` recorded in the repository (its notes), read at each scrape. */
export interface DrillOutcomes {
  /** Per part (config, etcd, images), the Unix time of its last passing drill. */
  lastSuccessSeconds: Partial<Record<string, number>>;
  failures: number;
}

/** The Prometheus metrics of a running `kubesnap watch` (prom-client, one registry per process). */
export class WatchMetrics {
  readonly registry = new Registry();
  private readonly events = new Counter({
    name: 'kubesnap_watch_events_total',
    help: 'Watch events seen, by resource and type.',
    labelNames: ['resource', 'type'],
    registers: [this.registry],
  });
  private readonly restarts = new Counter({
    name: 'kubesnap_watch_restarts_total',
    help: 'Watch streams started again after they ended or failed.',
    labelNames: ['resource'],
    registers: [this.registry],
  });
  private readonly relists = new Counter({
    name: 'kubesnap_watch_relists_total',
    help: 'Full relists after 410 Expired.',
    labelNames: ['resource'],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'kubesnap_errors_total',
    help: 'Errors, by resource (or "commit").',
    labelNames: ['resource'],
    registers: [this.registry],
  });
  private readonly commits = new Counter({
    name: 'kubesnap_commits_total',
    help: 'Commits written.',
    registers: [this.registry],
  });
  private readonly commitFailures = new Counter({
    name: 'kubesnap_commit_failures_total',
    help: 'Commits that failed (each retry counts).',
    registers: [this.registry],
  });
  private readonly lastCommit = new Gauge({
    name: 'kubesnap_last_commit_timestamp_seconds',
    help: 'Unix time of the last commit.',
    registers: [this.registry],
  });
  private readonly tracked = new Gauge({
    name: 'kubesnap_objects_tracked',
    help: 'Objects in the committed tree.',
    registers: [this.registry],
  });
  private readonly pending = new Gauge({
    name: 'kubesnap_pending_changes',
    help: 'Changes waiting for the next commit.',
    registers: [this.registry],
  });
  private readonly waitingForRoom = new Gauge({
    name: 'kubesnap_backpressure_waiting',
    help: 'Watch streams waiting for a commit to make room before they read their next event (backpressure).',
    registers: [this.registry],
  });
  private streamsWaiting = 0;
  /** Time spent with at least one stream waiting for room: the waits that ended, and since when the current one runs. */
  private waitedMs = 0;
  private waitingSince = 0;
  private readonly waited = new Counter({
    name: 'kubesnap_backpressure_seconds_total',
    help: 'Seconds the watch waited for a commit to make room before reading on: commits not keeping up with the cluster.',
    registers: [this.registry],
    // Read at each scrape, so a wait still running counts.
    collect: () => {
      const running = this.streamsWaiting > 0 ? this.clock.now() - this.waitingSince : 0;
      this.waited.reset();
      this.waited.inc((this.waitedMs + running) / 1000);
    },
  });

  /** `clock` says how old the oldest unpushed commit is. */
  constructor(private readonly clock: Clock = systemClock) {
    collectDefaultMetrics({ register: this.registry, prefix: 'kubesnap_' });
  }

  event(resource: string, type: string): void {
    this.events.inc({ resource, type });
  }
  restart(resource: string): void {
    this.restarts.inc({ resource });
  }
  relist(resource: string): void {
    this.relists.inc({ resource });
  }
  error(resource: string): void {
    this.errors.inc({ resource });
  }
  committed(at: Date, trackedObjects: number): void {
    this.commits.inc();
    this.lastCommit.set(at.getTime() / 1000);
    this.tracked.set(trackedObjects);
  }
  commitFailed(): void {
    this.commitFailures.inc();
  }
  setTracked(objects: number): void {
    this.tracked.set(objects);
  }
  setPending(changes: number): void {
    this.pending.set(changes);
  }

  /** A watch stream waits for `room` before it reads on; settles with it. */
  async waitForRoom(room: Promise<void>): Promise<void> {
    if (this.streamsWaiting++ === 0) this.waitingSince = this.clock.now();
    this.waitingForRoom.set(this.streamsWaiting);
    try {
      await room;
    } finally {
      if (--this.streamsWaiting === 0) this.waitedMs += this.clock.now() - this.waitingSince;
      this.waitingForRoom.set(this.streamsWaiting);
    }
  }

  /** `kubesnap_ready{source}`: 1 or 0 per readiness source, read at each scrape. */
  trackReadiness(sources: () => Iterable<ReadinessSource>): void {
    new Gauge({
      name: 'kubesnap_ready',
      help: 'Whether each part of the watch is ready (1) or not (0), by source.',
      labelNames: ['source'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const source of sources()) this.set({ source: source.name }, source.check().ready ? 1 : 0);
      },
    });
  }

  /** `kubesnap_leader`: 1 while this replica holds the Lease, else 0. */
  trackLeadership(isLeader: () => boolean): void {
    new Gauge({
      name: 'kubesnap_leader',
      help: 'Whether this replica holds the leader Lease and writes (1) or stands by (0).',
      registers: [this.registry],
      collect() {
        this.set(isLeader() ? 1 : 0);
      },
    });
  }

  /**
   * `kubesnap_drill_last_success_timestamp_seconds{part}` and `kubesnap_drill_failures_total`, from the drill notes the
   * repository holds, so a drill CronJob needs no Pushgateway: the watch that owns the repository exports them.
   */
  trackDrills(outcomes: () => Promise<DrillOutcomes>): void {
    const registers = [this.registry];
    new Gauge({
      name: 'kubesnap_drill_last_success_timestamp_seconds',
      help: 'Unix time of the last drill that passed, by part (config, etcd, images).',
      labelNames: ['part'],
      registers,
      async collect() {
        const { lastSuccessSeconds } = await outcomes();
        this.reset();
        for (const [part, seconds] of Object.entries(lastSuccessSeconds))
          if (seconds !== undefined) this.set({ part }, seconds);
      },
    });
    new Counter({
      name: 'kubesnap_drill_failures_total',
      help: 'Drills recorded in the repository that failed.',
      registers,
      async collect() {
        const { failures } = await outcomes();
        this.reset();
        this.inc(failures);
      },
    });
  }

  /** Push metrics of a Git remote, read from `status` at each scrape. */
  trackRemote(
    status: () => { unpushedCommits: number; oldestUnpushedAt?: Date; lastPushAt?: Date; pushFailures: number },
  ): void {
    const registers = [this.registry];
    const clock = this.clock;
    new Counter({
      name: 'kubesnap_push_failures_total',
      help: 'Fetches and pushes to the Git remote that failed.',
      registers,
      collect() {
        this.reset();
        this.inc(status().pushFailures);
      },
    });
    new Gauge({
      name: 'kubesnap_remote_behind_seconds',
      help: 'Age of the oldest commit not pushed to the remote; 0 when in sync.',
      registers,
      collect() {
        const oldest = status().oldestUnpushedAt;
        this.set(oldest ? Math.max(0, (clock.now() - oldest.getTime()) / 1000) : 0);
      },
    });
    new Gauge({
      name: 'kubesnap_remote_unpushed_commits',
      help: 'Local commits not on the remote yet.',
      registers,
      collect() {
        this.set(status().unpushedCommits);
      },
    });
    new Gauge({
      name: 'kubesnap_last_push_timestamp_seconds',
      help: 'Unix time of the last successful push; 0 before the first.',
      registers,
      collect() {
        this.set((status().lastPushAt?.getTime() ?? 0) / 1000);
      },
    });
  }
}
