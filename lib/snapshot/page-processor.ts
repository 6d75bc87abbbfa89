// Where list pages are processed. Parsing, normalising, serialising, hashing and deflating a page is nearly all
// of a snapshot's CPU, and one thread of it cannot keep up with what one API server sends:
// - pages of big collections (the caller says which) go whole to page worker threads, one per core;
// - other pages are laid out on this thread and only deflated on another (a pack-entry thread). Each page worker
//   loads the code and warms up its JIT on its own, which costs more than it gains for small collections (a
//   10,000-object snapshot, ~1,000 objects a kind, took 2.9 s with page workers, 2.5 s without); deflating needs
//   no warm-up.
// Small pages stay here entirely: a small cluster never starts a thread.
import { availableParallelism } from 'node:os';
import { WorkerCalls } from '../runtime/index.ts';
import { PackEntryThreads } from '../store/index.ts';
import { layOutListPage, processListPage, withPackEntries, type PageJob, type ProcessedPage } from './list-page.ts';
import { fromPageMessage, type PageMessage } from './page-message.ts';

/** Pages smaller than this (about 100 objects) are processed on this thread, deflating included. */
const INLINE_PAGE_BYTES = 128 << 10;
/** Objects in a collection from which its pages are worth processing in page workers. */
const BIG_COLLECTION = 5_000;

export interface PageProcessingOptions {
  /** Page worker threads at most (default: one per core, at most 4); 0 processes every page on this thread. */
  threads?: number;
  /** A collection with at least this many objects (its first page says, or as many were listed) has its next pages processed in workers (default 5,000). */
  bigCollection?: number;
}

export class ListPageProcessor {
  private readonly threads: number;
  private readonly bigCollection: number;
  private readonly pageWorkers: WorkerCalls<{ body: Uint8Array; job: PageJob }, PageMessage>;
  private readonly packEntries = new PackEntryThreads();

  constructor(options: PageProcessingOptions = {}) {
    this.threads = options.threads ?? Math.min(4, availableParallelism());
    this.bigCollection = options.bigCollection ?? BIG_COLLECTION;
    this.pageWorkers = new WorkerCalls(new URL('./page.worker.ts', import.meta.url), this.threads);
  }

  /** Whether a collection of this many objects is big: its next pages go to page workers. */
  isBigCollection(objects: number): boolean {
    return objects >= this.bigCollection;
  }

  /** Processes a page: in a page worker when `big` (a page of a big collection), else here, deflated elsewhere. */
  async process(body: Buffer, job: PageJob, big: boolean): Promise<ProcessedPage> {
    if (this.threads === 0 || body.length < INLINE_PAGE_BYTES) return processListPage(body, job);
    if (!big) {
      const page = layOutListPage(body, job);
      return withPackEntries(page, await this.packEntries.blobEntries(page.files.map((file) => file.bytes)));
    }
    // The body is handed over, not copied: it must own its whole buffer (a small Buffer may share Node's pool).
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : Buffer.from(body);
    return fromPageMessage(await this.pageWorkers.call({ body: own, job }, [own.buffer as ArrayBuffer]));
  }

  /** Stops the threads; pages still in flight are rejected. */
  async close(): Promise<void> {
    await Promise.all([this.pageWorkers.close(), this.packEntries.close()]);
  }
}
