// Request/reply calls into worker threads of one `*.worker.ts` module: started on demand up to a number of threads,
// each call to the least busy one; a thrown error comes back as the caller's rejection (a KubesnapError keeps its
// code and exit code, and so its one-sentence output). An idle thread never keeps the process alive.
import { parentPort, Worker, type Transferable } from 'node:worker_threads';
import { KubesnapError } from '../errors/index.ts';

/** True when this module is the TypeScript source (tsx), false inside the bundle. */
const fromSource = import.meta.url.endsWith('.ts');

/**
 * Starts a worker thread running `source`, a `*.worker.ts` module given as `new URL('./x.worker.ts',
 * import.meta.url)` by its caller; the worker takes its input as messages. From the sources, a small JavaScript
 * entry registers tsx in the new thread first (Node 20 does not hand the main thread's loader hooks to workers).
 * In the bundle, the build wrote each worker as `<name>.worker.mjs` into the one folder that holds every part of
 * the bundle, this module included, so the worker is found by its file name: the caller's URL may point anywhere
 * in lib/ (worker names are unique there; the build checks).
 */
export function startWorker(source: URL): Worker {
  if (fromSource)
    return new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { entry: source.href } });
  return new Worker(new URL(workerFileName(source).replace(/\.ts$/, '.mjs'), import.meta.url));
}

/** `page.worker.ts` of a worker's URL. */
function workerFileName(source: URL): string {
  return source.pathname.slice(source.pathname.lastIndexOf('/') + 1);
}

interface ErrorMessage {
  name: string;
  message: string;
  code?: string;
  exitCode?: number;
}

type Reply<T> = { id: number; reply: T } | { id: number; error: ErrorMessage };

interface Pending<T> {
  resolve(reply: T): void;
  reject(error: Error): void;
}

interface Thread<T> {
  worker: Worker;
  pending: Map<number, Pending<T>>;
}

export class WorkerCalls<Request, Response> {
  private readonly threads: Array<Thread<Response>> = [];
  private nextId = 0;

  constructor(
    private readonly source: URL,
    private readonly size: number,
  ) {}

  call(request: Request, transfer: Transferable[] = []): Promise<Response> {
    const thread = this.leastBusy();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.ref();
      thread.worker.postMessage({ id, request }, transfer);
    });
  }

  /** Stops the threads; calls still in flight are rejected. */
  async close(): Promise<void> {
    await Promise.all(this.threads.splice(0).map((thread) => thread.worker.terminate()));
  }

  private leastBusy(): Thread<Response> {
    const idle = this.threads.find((thread) => thread.pending.size === 0);
    if (idle) return idle;
    if (this.threads.length < this.size) return this.spawn();
    return this.threads.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private spawn(): Thread<Response> {
    const thread: Thread<Response> = { worker: startWorker(this.source), pending: new Map() };
    const failAll = (error: Error) => {
      for (const pending of thread.pending.values()) pending.reject(error);
      thread.pending.clear();
      const index = this.threads.indexOf(thread);
      if (index !== -1) this.threads.splice(index, 1);
    };
    thread.worker.on('message', (message: Reply<Response>) => {
      const pending = thread.pending.get(message.id);
      if (!pending) return;
      thread.pending.delete(message.id);
      if (thread.pending.size === 0) thread.worker.unref();
      if ('error' in message) pending.reject(rebuiltError(message.error));
      else pending.resolve(message.reply);
    });
    thread.worker.on('error', failAll);
    const name = workerFileName(this.source).replace(/\.worker\.ts$/, '');
    thread.worker.on('exit', (code) => failAll(new Error(`the ${name} worker thread stopped (exit code ${code})`)));
    this.threads.push(thread);
    return thread;
  }
}

/** In a worker thread: answers every call with what `handle` returns for it. */
export function answerCalls<Request, Response>(
  handle: (request: Request) => { reply: Response; transfer?: Transferable[] },
): void {
  parentPort!.on('message', ({ id, request }: { id: number; request: Request }) => {
    let answer: { reply: Response; transfer?: Transferable[] };
    try {
      answer = handle(request);
    } catch (error) {
      parentPort!.postMessage({ id, error: errorMessage(error) });
      return;
    }
    parentPort!.postMessage({ id, reply: answer.reply }, answer.transfer ?? []);
  });
}

function errorMessage(error: unknown): ErrorMessage {
  const { name = 'Error', message = String(error) } = error as Error;
  return error instanceof KubesnapError
    ? { name, message, code: error.code, exitCode: error.exitCode }
    : { name, message };
}

function rebuiltError(error: ErrorMessage): Error {
  const rebuilt =
    error.code === undefined ? new Error(error.message) : new KubesnapError(error.code, error.message, error.exitCode);
  rebuilt.name = error.name;
  return rebuilt;
}

/** Buffers as one transferable block (no per-buffer cloning): `ends[i]` is where buffer i ends. */
export interface BufferBlock {
  data: ArrayBuffer;
  ends: Uint32Array;
}

export function toBufferBlock(buffers: readonly Uint8Array[]): BufferBlock {
  const ends = new Uint32Array(buffers.length);
  let size = 0;
  buffers.forEach((buffer, i) => (ends[i] = size += buffer.length));
  const data = new Uint8Array(size);
  buffers.forEach((buffer, i) => data.set(buffer, i === 0 ? 0 : ends[i - 1]));
  return { data: data.buffer, ends };
}

/** The buffers of a block, as views into it. */
export function fromBufferBlock(block: BufferBlock): Buffer[] {
  const bytes = Buffer.from(block.data);
  return Array.from(block.ends, (end, i) => bytes.subarray(i === 0 ? 0 : block.ends[i - 1], end));
}

export function transferOf(...blocks: BufferBlock[]): ArrayBuffer[] {
  return blocks.flatMap((block) => [block.data, block.ends.buffer as ArrayBuffer]);
}
