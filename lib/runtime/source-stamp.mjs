// Which build in dist/ holds the sources as they are now. Each build lives in dist/<id>/, where the id is a
// digest of what the sources look like on disk, so the bundle of the current sources is found (or found missing)
// by looking at the sources alone, and a folder, once written, never changes. Plain JavaScript: bin/kubesnap.js
// runs it before anything can load TypeScript.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders whose every file and sub-folder the bundle depends on: a file added, removed or changed makes a new id. */
const sourceFolders = ['cli', 'lib'];
/** Single files the bundle's content depends on. */
const sourceFiles = ['package.json', 'tsconfig.json'];

/**
 * The stamp of the sources under `root` (a file URL of the package folder).
 * - `id`: a digest of each file's and folder's path, size and modification time. Times count in whole seconds,
 *   as image layers and tarballs keep them: a bundle built in a Docker image stays current where the image runs.
 * - `files`: every file of the source folders, relative to the root.
 * - `newestSecond`: the newest modification time, in seconds since the epoch. A file changed again within the
 *   same second, to the same size, would keep the id (git calls such entries racy), so a build only records an id
 *   once that second is over (see build.mjs).
 * @param {URL} root
 * @returns {{ id: string, files: string[], newestSecond: number }}
 */
export function sourceStamp(root) {
  const base = fileURLToPath(root);
  const lines = [];
  const files = [];
  let newestSecond = 0;
  const record = (path, stats) => {
    const second = Math.floor(stats.mtimeMs / 1000);
    newestSecond = Math.max(newestSecond, second);
    lines.push(`${path}\t${stats.isDirectory() ? 'dir' : stats.size}\t${second}`);
  };
  const walk = (dir) => {
    record(dir, statSync(join(base, dir)));
    for (const entry of readdirSync(join(base, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else {
        record(path, statSync(join(base, path)));
        files.push(path);
      }
    }
  };
  for (const folder of sourceFolders) walk(folder);
  for (const file of sourceFiles) {
    const stats = statSync(join(base, file), { throwIfNoEntry: false });
    if (stats) record(file, stats);
    else lines.push(`${file}\tmissing`);
  }
  const id = createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
  return { id, files, newestSecond };
}

/**
 * Where the build of stamp `id` is: its folder, and the CLI's entry in it (a module exporting `main(argv)`).
 * @param {URL} root
 * @param {string} id
 */
export function buildLocation(root, id) {
  const folder = new URL(`dist/${id}/`, root);
  return { folder, main: new URL('main.mjs', folder) };
}
