export interface BacklogGateOptions {
  /** Changes pending and being written at which an event source waits. */
  max: number;
  /** The changes pending and being written now. */
  backlog: () => number;
  /** No commit is coming (held for a first sync, or stopped): making a source wait for one would wait forever. */
  idle: () => boolean;
}

/**
 * Backpressure of a `HistoryWriter`: once its backlog reaches `max`, an event source waits until a commit has made
 * room, so a cluster that writes faster than commits are made leaves its events in the API server's stream.
 */
export class BacklogGate {
  private waiters: Array<() => void> = [];

  constructor(private readonly options: BacklogGateOptions) {}

  /** Undefined while there is room; else a promise that settles once `wake()` finds room. */
  roomForMore(): Promise<void> | undefined {
    if (this.hasRoom) return undefined;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The backlog shrank or the writer went idle: the waiting sources go on if there is room now. */
  wake(): void {
    if (!this.hasRoom) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private get hasRoom(): boolean {
    return this.options.idle() || this.options.backlog() < this.options.max;
  }
}
