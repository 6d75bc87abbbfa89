import type { Clock } from '../health/index.ts';
import { parseObjectPath } from '../layout/index.ts';
import type { Logger } from '../log/index.ts';
import type { Author, SnapshotRepository } from '../store/index.ts';
import type { Attribution } from './attribution.ts';
import type { CommittedIndex } from './committed-index.ts';
import { DeflateAhead, type StagedFile } from './deflate-ahead.ts';
import { labelDigestKeyChange } from './digest-key-change.ts';
import { FieldSummaries } from './field-summaries.ts';
import { watchCommitMessage, type ObjectChange } from './watch-message.ts';

/** A change a `HistoryWriter` stages: a file's new bytes (null: deleted) and what its commit message says of it. */
export interface StagedChange extends StagedFile {
  /** The object `content` was serialised from, so the commit message's field changes need not parse it back. */
  object?: object;
  attribution?: Attribution;
  /** Why a deletion happened when it was not a DELETED event (a kind removed from the API). */
  reason?: string;
}

export interface BatchCommitterOptions {
  repository: SnapshotRepository;
  author: Author;
  prefix?: string;
  /** Commit times. */
  clock: Clock;
  logger: Logger;
  /** Already counts the batch as committed; told when its commit is written. */
  committed: CommittedIndex;
  /** Throws when the repository may not be written any more (deleted or replaced): the commit fails. */
  checkRepository?: () => void;
  onCommit?: (commit: { id: string; changes: ObjectChange[] }) => void;
}

/**
 * Writes a batch of staged changes as one commit: a body line per object (its field changes from `FieldSummaries`),
 * the README when what it says changed, and a big batch's blobs deflated ahead (`DeflateAhead`).
 */
export class BatchCommitter {
  private readonly deflater = new DeflateAhead();
  private readonly fieldSummaries: FieldSummaries;

  constructor(private readonly options: BatchCommitterOptions) {
    this.fieldSummaries = new FieldSummaries(options.repository);
  }

  /** `previous`: each path's blob id before the batch (none: created). Returns the commit, if there was one. */
  async write(
    batch: ReadonlyMap<string, StagedChange>,
    previous: ReadonlyMap<string, string | undefined>,
  ): Promise<string | undefined> {
    this.options.checkRepository?.();
    const changes: ObjectChange[] = [];
    for (const [path, change] of batch) {
      const previousId = previous.get(path);
      changes.push({
        path,
        type: change.content === null ? 'deleted' : previousId ? 'updated' : 'created',
        namespace: parseObjectPath(path, this.options.prefix)?.namespace,
        attribution: change.attribution,
        reason: change.reason,
        fields: previousId && change.content ? await this.fieldSummaries.of(path, previousId, change) : undefined,
      });
    }
    const now = new Date(this.options.clock.now());
    const readme = this.options.committed.readmeAfter(changes);
    const files = await this.deflater.filesOf(batch);
    if (readme.changed) files.push({ path: this.options.committed.readmePath, content: Buffer.from(readme.text) });
    const result = await this.options.repository.commitChanges(files, {
      message: labelDigestKeyChange(watchCommitMessage(changes), readme.before, readme.text),
      author: { ...this.options.author, timestamp: Math.floor(now.getTime() / 1000) },
    });
    this.options.committed.written(readme);
    for (const [path, change] of batch) this.fieldSummaries.remember(path, change);
    if (!result) return undefined;
    this.options.logger.info('committed', { commit: result.commit.slice(0, 12), changes: changes.length });
    this.options.onCommit?.({ id: result.commit, changes });
    return result.commit;
  }

  /** Ends the pack-entry thread, if one was started. */
  close(): Promise<void> {
    return this.deflater.close();
  }
}
