// Bundles the CLI with esbuild into dist/<id>/, the id being the stamp of the sources it was built from
// (source-stamp.mjs). Run by `npm ci` (the prepare script, scripts/build.mjs) and by bin/kubesnap.js when the
// sources changed since. Plain JavaScript, for the same reason as source-stamp.mjs.
//
// A build folder holds main.mjs (cli/main.ts), <name>.worker.mjs for each lib/**/<name>.worker.ts, and the chunks
// they share, side by side: inside the bundle every module's import.meta.url is in that folder, which
// startWorker (lib/runtime/worker-calls.ts) relies on. Packages are not bundled (they load from node_modules), and
// each `await import()` of a module of ours becomes a chunk of its own, so a command loads only what it uses.
//
// Several processes may build at once (tests spawn the CLI two at a time): each writes into a staging folder of
// its own and renames it to dist/<id>/ at the end, so a build folder is complete or absent, never half written.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { buildLocation, sourceStamp } from './source-stamp.mjs';

const workerSuffix = '.worker.ts';
/** File times come from the kernel's coarse clock, which runs a few milliseconds behind Date.now(). */
const clockSlackMs = 100;
/** Waiting longer than this for the sources to settle means a file dated in the future. */
const longestSettleMs = 2_000;
/** Older builds are removed after this long, not at once: a process started from one may still start a worker from it. */
const oldBuildLifetimeMs = 24 * 60 * 60 * 1000;

/**
 * Makes sure dist/ has the build of the sources under `root` (a file URL of the package folder) and returns
 * where it is; `built` is false when it was there already. Throws when it cannot: a source esbuild refuses,
 * a folder it may not write (a read-only install), sources that changed while they were being bundled.
 * @param {URL} root
 */
export async function buildBundle(root) {
  const stamp = await settledStamp(root);
  const location = buildLocation(root, stamp.id);
  if (existsSync(location.main)) return { ...location, id: stamp.id, built: false };
  const esbuild = await import('esbuild');
  const dist = fileURLToPath(new URL('dist/', root));
  mkdirSync(dist, { recursive: true });
  // Not mkdtemp: its folder is private to this user, and the build must be readable by all (a root-built image).
  const staging = join(dist, `.staging-${randomUUID()}`);
  mkdirSync(staging);
  try {
    await esbuild.build({
      absWorkingDir: fileURLToPath(root),
      entryPoints: entryPoints(stamp.files),
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outExtension: { '.js': '.mjs' },
      entryNames: '[name]',
      chunkNames: 'chunk-[hash]',
      logLevel: 'silent',
    });
    if (sourceStamp(root).id !== stamp.id) throw new Error('the sources changed while they were being bundled');
    publish(staging, location);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    // esbuild's service is a child process, which would otherwise live as long as the command that built.
    await esbuild.stop();
  }
  removeOldBuilds(dist, stamp.id);
  return { ...location, id: stamp.id, built: true };
}

/**
 * The stamp of the sources once no file's modification time is in the current second: a change later in that
 * second could otherwise leave the stamp as it is, and the build would be taken for the changed sources.
 * @param {URL} root
 */
async function settledStamp(root) {
  for (;;) {
    const now = Date.now();
    const stamp = sourceStamp(root);
    const settled = (stamp.newestSecond + 1) * 1000 + clockSlackMs;
    if (now >= settled) return stamp;
    if (settled - now > longestSettleMs) {
      throw new Error(`a source file is dated in the future (${new Date(stamp.newestSecond * 1000).toISOString()})`);
    }
    await sleep(settled - now);
  }
}

/** The CLI and every worker, by output name; worker names must be unique, as they all land in one folder. */
function entryPoints(files) {
  const entries = { main: 'cli/main.ts' };
  for (const file of files.filter((path) => path.startsWith('lib/') && path.endsWith(workerSuffix))) {
    const name = file.slice(file.lastIndexOf('/') + 1, -'.ts'.length);
    if (entries[name])
      throw new Error(
        `two workers are named ${name}.ts (${entries[name]} and ${file}); worker names must be unique in lib/`,
      );
    entries[name] = file;
  }
  return entries;
}

/** Renames the staging folder into place; a folder already there is the same build, from another process. */
function publish(staging, location) {
  try {
    renameSync(staging, location.folder);
  } catch (error) {
    if (!(error.code === 'ENOTEMPTY' || error.code === 'EEXIST') || !existsSync(location.main)) throw error;
  }
}

/** Removes builds (and staging folders of builds that died) older than a day, except the current one. */
function removeOldBuilds(dist, currentId) {
  const cutoff = Date.now() - oldBuildLifetimeMs;
  for (const name of readdirSync(dist)) {
    if (name === currentId) continue;
    const path = join(dist, name);
    // Another process may be removing the same folders.
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats && stats.mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
  }
}
