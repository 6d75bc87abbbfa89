// Where kubesnap's code runs from: the TypeScript sources (through tsx, in development and tests) or the bundle
// `npm ci` builds into dist/<build>/ (lib/runtime/build.mjs). Code that needs a file of the package at run time
// (a template, package.json, a worker thread's entry) asks here, so it works the same either way.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** True when this module is the TypeScript source (tsx), false inside the bundle. */
const fromSource = import.meta.url.endsWith('.ts');

let root: URL | undefined;

/**
 * The package's root folder (the one with package.json), as a file URL ending in `/`. Looked up rather than
 * written as a relative path: in the bundle, this code is in whichever file of dist/<build>/ esbuild put it.
 */
export function packageRoot(): URL {
  if (root) return root;
  for (let dir = new URL('.', import.meta.url); ; dir = new URL('..', dir)) {
    if (existsSync(new URL('package.json', dir))) return (root = dir);
    if (dir.pathname === '/') throw new Error(`no package.json above ${import.meta.url}`);
  }
}

/**
 * Starts a worker thread running `source`, a `*.worker.ts` module given as `new URL('./x.worker.ts',
 * import.meta.url)` by its caller; the worker takes its input as messages. From the sources, a small JavaScript
 * entry registers tsx in the new thread first (Node 20 does not hand the main thread's loader hooks to workers).
 * In the bundle, the build wrote each worker as `<name>.worker.mjs` into the one folder that holds every part of
 * the bundle, this module included, so the worker is found by its file name: the caller's URL may point anywhere
 * in lib/ (worker names are unique there; the build checks).
 */
export function startWorker(source: URL): Worker {
  if (fromSource) return new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { entry: source.href } });
  const name = source.pathname.slice(source.pathname.lastIndexOf('/') + 1);
  return new Worker(new URL(name.replace(/\.ts$/, '.mjs'), import.meta.url));
}
