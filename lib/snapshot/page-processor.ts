// Spreads list pages over worker threads. Parsing, normalising, serialising, hashing and deflating a page is
// nearly all of a snapshot's CPU, and one thread of it cannot keep up with what one API server sends: on two
// cores, two workers take it off the main thread, which is left receiving bytes and building the commit.
// Only big collections go to worker threads (the caller says which pages may): each thread loads the code and
// warms up its JIT on its own, which costs more than it gains for a cluster of ten thousand objects (2.9 s against
// 2.0 s for a 10,000-object snapshot here) and much less than it gains for a hundred thousand.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../runtime/index.ts';
import { processListPage, type PageJob, type ProcessedPage } from './list-page.ts';
import { fromErrorMessage, fromPageMessage, type ErrorMessage, type PageMessage } from './page-message.ts';

/** Pages smaller than this (about 100 objects) are always processed on the calling thread. */
const INLINE_PAGE_BYTES = 128 << 10;

interface Pending {
  resolve(page: ProcessedPage): void;
  reject(error: Error): void;
}

interface PageWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

type Reply = { id: number; page: PageMessage } | { id: number; error: ErrorMessage };

export interface PageProcessingOptions {
  /** Worker threads at most (default: one per core, at most 4); 0 processes every page on the calling thread. */
  threads?: number;
  /** A collection with at least this many objects (its first page says) has its other pages processed in workers (default 5,000). */
  bigCollection?: number;
}

export class ListPageProcessor {
  private readonly workers: PageWorker[] = [];
  private nextId = 0;

  private readonly threads: number;

  constructor(options: Pick<PageProcessingOptions, 'threads'> = {}) {
    this.threads = options.threads ?? Math.min(4, availableParallelism());
  }

  /** Processes a page, in a worker thread when `anywhere` and the page is big enough to be worth sending. */
  process(body: Buffer, job: PageJob, anywhere: boolean): Promise<ProcessedPage> {
    if (!anywhere || this.threads === 0 || body.length < INLINE_PAGE_BYTES) return Promise.resolve().then(() => processListPage(body, job));
    const target = this.leastBusy();
    const id = this.nextId++;
    // The body is handed over, not copied: it must own its whole buffer (a small Buffer may share Node's pool).
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : Buffer.from(body);
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.ref();
      target.worker.postMessage({ id, body: own, job }, [own.buffer as ArrayBuffer]);
    });
  }

  /** Stops the workers; pages still in flight are rejected. */
  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((entry) => entry.worker.terminate()));
  }

  private leastBusy(): PageWorker {
    const idle = this.workers.find((entry) => entry.pending.size === 0);
    if (idle) return idle;
    if (this.workers.length < this.threads) return this.spawn();
    return this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private spawn(): PageWorker {
    const entry: PageWorker = { worker: startWorker(new URL('./page.worker.ts', import.meta.url)), pending: new Map() };
    const failAll = (error: Error) => {
      for (const pending of entry.pending.values()) pending.reject(error);
      entry.pending.clear();
      const index = this.workers.indexOf(entry);
      if (index !== -1) this.workers.splice(index, 1);
    };
    entry.worker.on('message', (reply: Reply) => {
      const pending = entry.pending.get(reply.id);
      if (!pending) return;
      entry.pending.delete(reply.id);
      // An idle worker never keeps the process alive, even if nobody closes the processor.
      if (entry.pending.size === 0) entry.worker.unref();
      if ('error' in reply) pending.reject(fromErrorMessage(reply.error));
      else pending.resolve(fromPageMessage(reply.page));
    });
    entry.worker.on('error', failAll);
    entry.worker.on('exit', (code) => failAll(new Error(`a page worker stopped (exit code ${code})`)));
    this.workers.push(entry);
    return entry;
  }
}
