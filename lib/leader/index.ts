/**
 * lib/leader — leader election on a coordination.k8s.io/v1 Lease, with client-go's leaderelection
 * semantics, so that of several `kubesnap watch --leader-elect` replicas only one writes.
 *
 * - A candidate takes the Lease when it does not exist, has no holder (released), or its record has
 *   not changed for `leaseDurationSeconds` by the candidate's own clock (so clock skew between
 *   machines does not matter: only "how long since I saw it change").
 * - The holder renews every retry period with a write guarded by the Lease's resourceVersion; with
 *   client-go's proportions (2 s and 10 s of 15 s) the retry period is 2/15 of the duration and the renew
 *   deadline 2/3. A failed renewal is retried every retry period, a slow one may take until the deadline,
 *   so one refused or slow request is not a lost lease. When no renewal succeeds for the renew deadline,
 *   leadership is lost: `lost` resolves and the caller stops writing before another candidate can take over.
 * - stop() releases a held Lease (holder cleared), so a standby takes over at once.
 *
 *   const elector = new LeaderElector({ client, namespace, name, leaseDurationMs, signal? });
 *   elector.start();  await elector.acquired;  …  await elector.lost;  await elector.stop();
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { KubesnapError } from '../errors/index.ts';
import { systemClock, type Clock } from '../health/index.ts';
import { KubeClient, type ClusterConnection } from '../kube/index.ts';
import { silentLogger, type Logger } from '../log/index.ts';
import { createLease, microTime, readLease, replaceLeaseSpec, type Lease, type LeaseSpec } from './lease.ts';

export { leaseResource, type Lease, type LeaseSpec } from './lease.ts';

export interface LeaderElectorOptions {
  /**
   * Whose connection to use. The elector keeps a connection pool of its own on it, so a renewal never waits
   * for a socket behind the caller's requests (a watch's first lists take all of a shared pool at once).
   */
  client: KubeClient;
  namespace: string;
  name: string;
  /** This candidate's holderIdentity; default defaultIdentity(). */
  identity?: string;
  /** How long a Lease nobody renews stays held; default 15 s. */
  leaseDurationMs?: number;
  /** How long after its last renewal the holder gives up leadership; default 2/3 of the duration. */
  renewDeadlineMs?: number;
  /** How often the holder renews and a candidate tries to acquire; default 2/15 of the duration (client-go's 2 s of 15 s). */
  retryPeriodMs?: number;
  logger?: Logger;
  /** Aborting it stops the elector (releasing a held Lease). */
  signal?: AbortSignal;
  /** The local clock the Lease's expiry is judged by and renewals wait on (tests move it). */
  clock?: Clock;
}

/**
 * `<POD_NAME>_<random>` in a pod (the downward API's POD_NAME), so `kubectl get lease` names the pod that leads,
 * else `<hostname>_<pid>_<random>`; the random part keeps a restarted container from passing for its predecessor.
 */
export function defaultIdentity(env: NodeJS.ProcessEnv = process.env): string {
  const suffix = randomBytes(3).toString('hex');
  return env.POD_NAME ? `${env.POD_NAME}_${suffix}` : `${hostname()}_${process.pid}_${suffix}`;
}

/**
 * The Lease's namespace when --lease-namespace is not given: the one kubectl would use, the kubeconfig
 * context's (in a pod the pod's own), else `default`.
 */
export function defaultLeaseNamespace(connection: Pick<ClusterConnection, 'namespace'>): string {
  return connection.namespace ?? 'default';
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export class LeaderElector {
  readonly identity: string;
  /** `namespace/name` of the Lease, as logs and errors name it. */
  readonly lease: string;
  private readonly options: LeaderElectorOptions &
    Required<Pick<LeaderElectorOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs' | 'logger' | 'clock'>>;
  private readonly client: KubeClient;
  private readonly stopController = new AbortController();
  private readonly acquiredSignal = deferred();
  private readonly lostSignal = deferred();
  private leader = false;
  private loop: Promise<void> | undefined;
  /** The last Lease seen, and when (local clock) its record last changed. */
  private observed: { lease: Lease; at: number } | undefined;

  constructor(options: LeaderElectorOptions) {
    const leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.options = {
      ...options,
      leaseDurationMs,
      renewDeadlineMs: options.renewDeadlineMs ?? Math.round((leaseDurationMs * 2) / 3),
      retryPeriodMs: options.retryPeriodMs ?? Math.round((leaseDurationMs * 2) / 15),
      logger: options.logger ?? silentLogger,
      clock: options.clock ?? systemClock,
    };
    this.identity = options.identity ?? defaultIdentity();
    this.lease = `${options.namespace}/${options.name}`;
    this.client = new KubeClient(options.client.connection, { maxSockets: 2 });
    options.signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  get isLeader(): boolean {
    return this.leader;
  }

  /** Resolves when this candidate holds the Lease. */
  get acquired(): Promise<void> {
    return this.acquiredSignal.promise;
  }

  /** Resolves when a held Lease could not be renewed in time or was taken over (not on stop()). */
  get lost(): Promise<void> {
    return this.lostSignal.promise;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops trying; a held Lease is released so that a standby takes over at once. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.loop;
    if (this.leader) {
      this.leader = false;
      try {
        await this.release();
      } catch (error) {
        this.options.logger.warn('could not release the lease; a standby takes over when it expires', {
          error: String(error),
        });
      }
    }
    this.client.close();
  }

  private get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    const { logger } = this.options;
    while (!this.stopping && !(await this.tryAcquireOrRenew(this.options.retryPeriodMs)))
      await this.sleep(this.jittered(this.options.retryPeriodMs));
    if (this.stopping) return;
    this.leader = true;
    logger.info('acquired the lease: leading', { lease: this.lease, identity: this.identity });
    this.acquiredSignal.resolve();
    let lastRenew = this.options.clock.now();
    while (!this.stopping) {
      await this.sleep(this.options.retryPeriodMs);
      if (this.stopping) return;
      // A round may take until the deadline (client-go's renew context), so a slow answer still renews.
      const deadline = lastRenew + this.options.renewDeadlineMs;
      const remainingMs = deadline - this.options.clock.now();
      if (remainingMs > 0 && (await this.tryAcquireOrRenew(remainingMs))) {
        lastRenew = this.options.clock.now();
        continue;
      }
      const heldByOther =
        this.observed?.lease.spec?.holderIdentity && this.observed.lease.spec.holderIdentity !== this.identity;
      if (heldByOther || this.options.clock.now() >= deadline) {
        this.leader = false;
        logger.error('lost the lease: stopping', {
          lease: this.lease,
          holder: heldByOther ? this.observed!.lease.spec!.holderIdentity : undefined,
        });
        this.lostSignal.resolve();
        return;
      }
    }
  }

  /** One round of client-go's tryAcquireOrRenew, given `timeoutMs`: true when this candidate holds the Lease afterwards. */
  private async tryAcquireOrRenew(timeoutMs: number): Promise<boolean> {
    const { namespace, name } = this.options;
    const client = this.client;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([this.stopController.signal, timeout]);
    const now = new Date(this.options.clock.now());
    const durationSeconds = Math.max(1, Math.round(this.options.leaseDurationMs / 1000));
    try {
      const lease = await readLease(client, namespace, name, signal);
      if (!lease) {
        const created = await createLease(
          client,
          namespace,
          name,
          {
            holderIdentity: this.identity,
            leaseDurationSeconds: durationSeconds,
            acquireTime: microTime(now),
            renewTime: microTime(now),
            leaseTransitions: 0,
          },
          signal,
        );
        if (created) this.observe(created);
        return created !== undefined;
      }
      this.observe(lease);
      const spec = lease.spec ?? {};
      const mine = spec.holderIdentity === this.identity;
      if (!mine && spec.holderIdentity && !this.expired(spec)) return false;
      const next: LeaseSpec = {
        holderIdentity: this.identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: mine && spec.acquireTime ? spec.acquireTime : microTime(now),
        renewTime: microTime(now),
        leaseTransitions: mine ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? 0) + 1,
      };
      const written = await replaceLeaseSpec(client, lease, next, signal);
      if (written) this.observe(written);
      return written !== undefined;
    } catch (error) {
      if (this.stopping) return false;
      const reason = timeout.aborted
        ? `no answer within ${timeoutMs} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      this.options.logger.warn('lease round failed', { lease: this.lease, error: reason });
      return false;
    }
  }

  private observe(lease: Lease): void {
    const previous = this.observed?.lease;
    const changed =
      !previous ||
      previous.metadata.resourceVersion !== lease.metadata.resourceVersion ||
      JSON.stringify(previous.spec ?? {}) !== JSON.stringify(lease.spec ?? {});
    if (changed) this.observed = { lease, at: this.options.clock.now() };
  }

  /** Expired by our clock: unchanged for its duration since we first saw this record. */
  private expired(spec: LeaseSpec): boolean {
    const durationMs = (spec.leaseDurationSeconds ?? this.options.leaseDurationMs / 1000) * 1000;
    return this.observed !== undefined && this.options.clock.now() - this.observed.at >= durationMs;
  }

  private async release(): Promise<void> {
    const { namespace, name } = this.options;
    const client = this.client;
    const signal = AbortSignal.timeout(Math.max(this.options.retryPeriodMs, 1000));
    const lease = await readLease(client, namespace, name, signal);
    if (!lease || lease.spec?.holderIdentity !== this.identity) return;
    const now = microTime(new Date(this.options.clock.now()));
    // As client-go: no holder, a one-second duration, the transition count kept.
    await replaceLeaseSpec(
      client,
      lease,
      { leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: lease.spec.leaseTransitions ?? 0 },
      signal,
    );
    this.options.logger.info('released the lease', { lease: this.lease });
  }

  private jittered(ms: number): number {
    return Math.round(ms * (1 + Math.random() * 0.2));
  }

  /** Waits `ms`, or less when the elector stops. */
  private async sleep(ms: number): Promise<void> {
    await this.options.clock.sleep(ms, this.stopController.signal).catch(() => {});
  }
}

export class LeadershipLostError extends KubesnapError {
  constructor(lease: string) {
    super(
      'ELEADERLOST',
      `lost the lease ${lease} to another replica or could not renew it in time; stopped so that only the leader writes.`,
      1,
    );
  }
}
