// A watch stores objects without end, and its reader keeps every pack's index open: an index must hold about 4 bytes
// an object in memory (the first four bytes of each id), not the 28 of the file, however many lookups it answers.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectReader } from '../../lib/store/object-reader.ts';
import { git, temporaryDir } from './real-git.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const root = temporaryDir('pack-index-memory');

/** A fast-import stream of `count` small blobs (they need no commit: fast-import packs what it is given). */
function blobs(count: number): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`blob\ndata ${String(i).length}\n${i}\n`);
  return parts.join('');
}

/** The JavaScript heap, and what ArrayBuffers (Buffers, typed arrays) hold outside it, after a full collection. */
function memoryInUse(): { heap: number; arrayBuffers: number } {
  gc();
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed, arrayBuffers: usage.arrayBuffers };
}

test('readers with a pack of 20,000 objects open hold about 4 bytes an object for its index, after a lookup of each', () => {
  const dir = join(root, 'repo.git');
  git(root, ['init', '-q', '--bare', dir]);
  const count = 20_000;
  git(dir, ['fast-import', '--quiet'], {}, blobs(count));
  const ids = git(dir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'])
    .trim()
    .split('\n')
    .map((id) => ({ id }));
  assert.is(ids.length, count);
  const openAndLookUpAll = () => {
    const reader = new ObjectReader(join(dir, 'objects'));
    assert.is(reader.locate(ids).missing.length, 0);
    return reader;
  };
  // A first reader compiles the code it runs, which would otherwise count in the heap of the measured ones.
  openAndLookUpAll().close();

  // Many readers, so that what the heap gains by chance is small beside what each index holds.
  const readerCount = 32;
  const before = memoryInUse();
  const readers = Array.from({ length: readerCount }, openAndLookUpAll);
  const after = memoryInUse();
  for (const reader of readers) reader.close();
  const perObject = (bytes: number) => bytes / (readerCount * count);
  // 4 bytes of prefix, plus the fan-out table and a reader's own few hundred bytes; the whole index was 28, read
  // into a Buffer (so counted in arrayBuffers).
  const outside = perObject(after.arrayBuffers - before.arrayBuffers);
  assert.ok(outside < 6, `${outside.toFixed(1)} bytes an object outside the heap for each reader's index`);
  const inHeap = perObject(after.heap - before.heap);
  assert.ok(inHeap < 3, `${inHeap.toFixed(1)} bytes an object in the heap for each reader's index`);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
