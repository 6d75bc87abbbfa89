import type { Clock } from '../health/index.ts';

export interface CommitScheduleOptions {
  /** Commit when this long has passed since the first pending change… */
  batchMs: number;
  /** …or as soon as this many changes are pending. */
  batchMax: number;
  clock: Clock;
  /** While commits fail, the retry timer alone decides when the next one is tried. */
  failing: () => boolean;
  /** It is time to commit what is pending. */
  commit: () => void;
}

/**
 * When the pending changes of a `HistoryWriter` are committed: `batchMs` after the first one, at once at
 * `batchMax`, never while held (a watch's first full sync becomes one commit), and after a failed commit
 * when its retry is due.
 */
export class CommitSchedule {
  private cancelTimer?: () => void;
  private held = false;
  private stopped = false;

  constructor(private readonly options: CommitScheduleOptions) {}

  /** Held (a first full sync) or stopped: no commit is coming until release(). */
  get idle(): boolean {
    return this.held || this.stopped;
  }

  hold(): void {
    this.held = true;
    this.clearTimer();
  }

  release(pending: number): void {
    this.held = false;
    this.pendingChanged(pending);
  }

  /** No timer any more: what is pending is committed by whoever stopped it. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  pendingChanged(pending: number): void {
    if (this.stopped || this.held || this.options.failing()) return;
    if (pending === 0) return this.clearTimer();
    if (pending >= this.options.batchMax) {
      this.clearTimer();
      this.options.commit();
      return;
    }
    if (!this.cancelTimer) this.setTimer(this.options.batchMs);
  }

  /** A commit takes whatever is pending now: the batch window it was waiting for is over. */
  committing(): void {
    this.clearTimer();
  }

  /** A failed commit is tried again after `ms`. */
  retryAfter(ms: number): void {
    if (!this.stopped) this.setTimer(ms);
  }

  private setTimer(ms: number): void {
    this.clearTimer();
    this.cancelTimer = this.options.clock.setTimer(() => {
      this.cancelTimer = undefined;
      this.options.commit();
    }, ms);
  }

  private clearTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }
}
