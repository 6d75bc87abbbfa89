/**
 * Relists one at a time, each once the consumer has room. A server that ends slow watchers (a real watch cache does)
 * and has compacted past their versions makes every collection of an overloaded watch relist together; in turns, one
 * relist's page and keys are in memory at a time, not one of each per collection, and a relist does not start before
 * the consumer can take its objects.
 */
export class RelistTurns {
  private queue: Promise<void> = Promise.resolve();

  /** `roomForMore` as the consumer's (HistoryWriter.roomForMore): undefined while there is room. */
  constructor(private readonly roomForMore: () => Promise<void> | undefined = () => undefined) {}

  /** Runs `relist` after the relists queued before it, once there is room. */
  take(relist: () => Promise<void>): Promise<void> {
    const turn = this.queue.then(async () => {
      await this.roomForMore();
      await relist();
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}
