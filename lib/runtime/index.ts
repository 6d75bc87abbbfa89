// Where kubesnap's code runs from: the TypeScript sources (through tsx, in development and tests) or the bundle
// `npm ci` builds into dist/<build>/ (lib/runtime/build.mjs). Code that needs a file of the package at run time
// (a template, package.json, a worker thread's entry) asks here, so it works the same either way.
import { existsSync } from 'node:fs';

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

export {
  answerCalls,
  fromBufferBlock,
  toBufferBlock,
  transferOf,
  WorkerCalls,
  type BufferBlock,
} from './worker-calls.ts';
