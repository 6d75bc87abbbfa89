#!/usr/bin/env node
// Entry point for `npx kubesnap`. It runs the esbuild bundle of the sources (dist/<id>/main.mjs), which starts in
// a fraction of the time tsx takes to load ~200 TypeScript modules, and never a bundle older than the sources:
// the build is looked up by the stamp of the sources as they are now (lib/runtime/source-stamp.mjs).
//
// When the sources changed since the last build, it builds again rather than run them through tsx: developers
// edit lib/ and run tests that start the CLI hundreds of times, and one build (under a second) gives every run
// after it the fast path, where falling back would make them all slow until someone built by hand. tsx remains
// for when no build can be made: an install nobody may write to, a source esbuild refuses (tsx then reports it
// where it is loaded), sources that changed during the build. KUBESNAP_DEBUG=1 says which way it went.
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLocation, sourceStamp } from '../lib/runtime/source-stamp.mjs';

const root = new URL('..', import.meta.url);
const { main } = await loadCli();
process.exitCode = await main(process.argv);

async function loadCli() {
  const current = buildLocation(root, sourceStamp(root).id);
  if (existsSync(current.main)) return runBundle(current.main, 'running');
  let build;
  try {
    const { buildBundle } = await import('../lib/runtime/build.mjs');
    build = await buildBundle(root);
  } catch (error) {
    debug(
      `running the sources through tsx: no bundle of them could be built (${error.message.replace(/\s*\n\s*/g, ' ')})`,
    );
    const { register } = await import('tsx/esm/api');
    register();
    return import('../cli/main.ts');
  }
  return runBundle(build.main, build.built ? 'built and running' : 'running');
}

function runBundle(entry, what) {
  debug(`${what} ${relative(fileURLToPath(root), fileURLToPath(entry))}`);
  return import(entry.href);
}

function debug(line) {
  if (process.env.KUBESNAP_DEBUG) process.stderr.write(`kubesnap: ${line}\n`);
}
