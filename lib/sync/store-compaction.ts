import type { Readiness, ReadinessSource } from '../health/index.ts';
import type { Logger } from '../log/index.ts';

/**
 * The 'store' readiness source: whether keeping the object database compact (packing loose objects, merging packs)
 * fails, as the repository's `compactionFailure` says until one succeeds. A failed merge loses nothing (every object
 * stays readable where it was, commits go on, the next commit tries again), so the watch stays ready and says why
 * beside "ok"; not-ready would take a working watch out of its Service and stall a rolling update. What does need a
 * person (a full disk, a broken pack; lookups slow down as packs pile up) is logged at error level once, when it
 * starts, and at info when packing works again. check() is read every second by the HealthMonitor, so the log
 * follows the failure without a scrape.
 */
export class StoreCompaction implements ReadinessSource {
  readonly name = 'store';
  private failing = false;

  constructor(
    private readonly repository: { readonly compactionFailure: Error | undefined },
    private readonly logger: Logger,
  ) {}

  check(): Readiness {
    const failure = this.repository.compactionFailure;
    if ((failure !== undefined) !== this.failing) {
      this.failing = failure !== undefined;
      if (failure)
        this.logger.error(
          'packing the object database failed; commits go on and nothing is lost, it is tried again at each commit',
          { error: failure.message },
        );
      else this.logger.info('packing the object database works again');
    }
    return failure
      ? {
          ready: true,
          detail: `packing the object database failed (nothing is lost; tried again at each commit): ${failure.message}`,
        }
      : { ready: true, detail: 'ok' };
  }
}
