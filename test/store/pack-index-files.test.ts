// A pack index is read from its open file: the reader must give each pack's two files back when it closes, when a
// merge replaced the pack and when git deleted it (found at its next scan), and until then a deleted pack still reads.
import { readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectReader } from '../../lib/store/object-reader.ts';
import { installMergedPack, writeMergedPack } from '../../lib/store/pack-consolidation.ts';
import { git, temporaryDir } from './real-git.ts';

const root = temporaryDir('pack-index-files');

/** The files under `dir` this process has open, each as its path, with " (deleted)" when it is gone. */
function openFilesUnder(dir: string): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir) ? [target] : [];
    } catch {
      return []; // the fd of the listing itself, closed by now
    }
  });
}

/** A repository of `packs` packs of 50 blobs each, every blob reachable (a branch each); returns the blobs' ids. */
function repositoryOfPacks(dir: string, packs: number): string[] {
  git(root, ['init', '-q', '--bare', dir]);
  for (let pack = 0; pack < packs; pack++) {
    const blobs = Array.from({ length: 50 }, (_, i) => `pack ${pack} blob ${i}\n`);
    const stream = [
      ...blobs.map((content, i) => `blob\nmark :${i + 1}\ndata ${content.length}\n${content}\n`),
      `commit refs/heads/b${pack}\ncommitter Real Git <git@example.com> 1800000000 +0000\ndata 2\nc\n`,
      ...blobs.map((_, i) => `M 100644 :${i + 1} f${i}\n`),
      '\n',
    ].join('');
    git(dir, ['-c', 'fastimport.unpackLimit=0', 'fast-import', '--quiet'], {}, stream);
  }
  return git(dir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname) %(objecttype)'])
    .trim()
    .split('\n')
    .flatMap((line) => (line.endsWith(' blob') ? [line.slice(0, 40)] : []));
}

/** One pack left open (its .pack and .idx), none of them deleted, every object read from it; closing gives it back. */
function assertOnePackOpenThenNone(reader: ObjectReader, dir: string, blobs: string[]): void {
  const open = openFilesUnder(dir);
  assert.is(open.length, 2, open.join(', '));
  assert.not.ok(open.some((path) => path.endsWith(' (deleted)')));
  for (const id of blobs) assert.ok(reader.read(id).content.toString().includes('blob'), id);
  reader.close();
  assert.equal(openFilesUnder(dir), []);
}

test('a pack git repack deleted still reads until the next scan, which gives its files back; close gives back the rest', () => {
  const dir = join(root, 'repacked.git');
  const blobs = repositoryOfPacks(dir, 3);
  const reader = new ObjectReader(join(dir, 'objects'));
  assert.is(reader.openPacks().length, 3);
  assert.is(openFilesUnder(dir).length, 6, 'an index and a pack file each');
  git(dir, ['repack', '-adq']);
  assert.is(openFilesUnder(dir).filter((path) => path.endsWith(' (deleted)')).length, 6);
  for (const id of blobs) assert.ok(reader.read(id).content.toString().includes('blob'), id);
  reader.rescanPacks();
  assertOnePackOpenThenNone(reader, dir, blobs);
});

test('the packs a merge replaced are given back as they are deleted; the merged one reads every object', () => {
  const dir = join(root, 'merged.git');
  const blobs = repositoryOfPacks(dir, 4);
  const reader = new ObjectReader(join(dir, 'objects'));
  const packs = reader.openPacks();
  installMergedPack(
    reader,
    packs.map((pack) => pack.name),
    writeMergedPack(reader, packs),
  );
  assertOnePackOpenThenNone(reader, dir, blobs);
  git(dir, ['fsck', '--strict', '--no-progress']);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
