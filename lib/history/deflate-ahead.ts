import { PackEntryThreads, type FileChange } from '../store/index.ts';

/** Batches writing this many files have them deflated on a pack-entry thread; smaller ones are not worth the trip. */
const PACKED_AHEAD_FILES = 200;

/** A staged file: its bytes (null: deleted) and their blob id. */
export interface StagedFile {
  content: Buffer | null;
  id?: string;
}

/**
 * A batch as the file changes a commit writes. A big batch has its blobs deflated on a pack-entry thread first, so
 * the writer's thread goes on reading events meanwhile (at thousands of changes a second, deflating is a fifth of
 * its time); if the thread fails, the commit deflates them itself.
 */
export class DeflateAhead {
  private threads?: Pick<PackEntryThreads, 'blobEntries' | 'close'>;

  async filesOf(batch: ReadonlyMap<string, StagedFile>): Promise<FileChange[]> {
    const changes = [...batch];
    const contents = changes.flatMap(([, change]) => change.content ?? []);
    if (contents.length < PACKED_AHEAD_FILES)
      return changes.map(([path, change]) => ({ path, content: change.content }));
    this.threads ??= new PackEntryThreads();
    const entries = await this.threads.blobEntries(contents).catch(() => undefined);
    let next = 0;
    return changes.map(([path, { content, id }]) => {
      const packed = content !== null ? entries?.[next++] : undefined;
      return packed ? { path, content, blob: { id: id!, packed } } : { path, content };
    });
  }

  async close(): Promise<void> {
    await this.threads?.close();
    this.threads = undefined;
  }
}
