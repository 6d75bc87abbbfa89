// The tree cache keeps the trees it read within a bound of bytes (32 MB by default; a small one here): what it
// keeps never exceeds the bound, the least recently used trees go first, and a tree read again after it went agrees
// with git's own `git cat-file`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectReader } from '../../lib/store/object-reader.ts';
import { TreeCache } from '../../lib/store/tree-cache.ts';
import { git } from './real-git.ts';

const FOLDERS = 8;
const FILES_PER_FOLDER = 200;

/** An object reader that notes every object it reads. */
class CountingReader extends ObjectReader {
  reads: string[] = [];
  override read(id: string) {
    this.reads.push(id);
    return super.read(id);
  }
}

let dir: string;
let rootTree: string;
/** folder-N's tree id. */
const folderTrees: string[] = [];
/** The estimated bytes of the root tree alone, and of one folder's tree (all folders have the same shape). */
let rootBytes: number;
let folderBytes: number;

/** A repository, written by git itself, of FOLDERS folders of FILES_PER_FOLDER files, each folder a distinct tree. */
function fastImportStream(): string {
  const lines = ['commit refs/heads/main', 'committer Real Git <git@example.com> 0 +0000', 'data 5', 'seed', ''];
  for (let folder = 0; folder < FOLDERS; folder++) {
    for (let file = 0; file < FILES_PER_FOLDER; file++) {
      const content = `folder ${folder} file ${file}\n`;
      lines.push(`M 100644 inline folder-${folder}/file-${String(file).padStart(3, '0')}.yaml`);
      lines.push(`data ${Buffer.byteLength(content)}`, content);
    }
  }
  return `${lines.join('\n')}\n`;
}

function fileOf(folder: number, file = 0): string {
  return `folder-${folder}/file-${String(file).padStart(3, '0')}.yaml`;
}

function cacheWithin(bound: number): { cache: TreeCache; reader: CountingReader } {
  const reader = new CountingReader(join(dir, 'objects'));
  return { cache: new TreeCache(reader, { keptReadTreeBytes: bound }), reader };
}

test.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubesnap-tree-cache-'));
  git(dir, ['init', '-q', '--bare', '-b', 'main']);
  git(dir, ['fast-import', '--quiet'], {}, fastImportStream());
  rootTree = git(dir, ['rev-parse', 'main^{tree}']).trim();
  for (let folder = 0; folder < FOLDERS; folder++)
    folderTrees.push(git(dir, ['rev-parse', `main:folder-${folder}`]).trim());
  assert.is(new Set(folderTrees).size, FOLDERS);

  const { cache } = cacheWithin(Number.MAX_SAFE_INTEGER);
  cache.lookup(rootTree, 'folder-0');
  rootBytes = cache.keptTreeBytes;
  cache.lookup(rootTree, fileOf(0));
  folderBytes = cache.keptTreeBytes - rootBytes;
  assert.ok(rootBytes > 0 && folderBytes > 4 * rootBytes, `root ${rootBytes} B, folder ${folderBytes} B`);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('the trees kept never exceed the bound, however many are read', () => {
  const bound = rootBytes + 3 * folderBytes;
  const { cache } = cacheWithin(bound);
  let most = 0;
  for (let round = 0; round < 2; round++) {
    for (let folder = 0; folder < FOLDERS; folder++) {
      cache.lookup(rootTree, fileOf(folder));
      assert.ok(cache.keptTreeBytes <= bound, `${cache.keptTreeBytes} B kept, bound ${bound} B`);
      most = Math.max(most, cache.keptTreeBytes);
    }
  }
  // What was read is far more than the bound, and the cache was filled up to it.
  assert.ok(rootBytes + FOLDERS * folderBytes > 2 * bound);
  assert.is(most, rootBytes + 3 * folderBytes);
});

test('a tree larger than the bound is read and used, never kept', () => {
  const bound = Math.floor(folderBytes / 2);
  const { cache, reader } = cacheWithin(bound);
  for (let read = 0; read < 2; read++) {
    assert.equal(cache.lookup(rootTree, fileOf(5, 7)), { mode: '100644', id: blobId(5, 7) });
    assert.ok(cache.keptTreeBytes <= bound);
  }
  assert.is(reader.reads.filter((id) => id === folderTrees[5]).length, 2);
});

test('the least recently used tree goes first, and is read again from the store when needed', () => {
  const { cache, reader } = cacheWithin(rootBytes + 2.5 * folderBytes);
  cache.lookup(rootTree, fileOf(0));
  cache.lookup(rootTree, fileOf(1));
  cache.lookup(rootTree, fileOf(0)); // folder-0 is now used more lately than folder-1
  cache.lookup(rootTree, fileOf(2)); // no room for three folders: folder-1 goes
  reader.reads = [];

  cache.lookup(rootTree, fileOf(0));
  cache.lookup(rootTree, fileOf(2));
  assert.equal(reader.reads, [], 'folder-0 and folder-2 are still kept');
  const listed = git(dir, ['cat-file', '-p', folderTrees[1]]).trim().split('\n');
  assert.is(listed.length, FILES_PER_FOLDER);
  for (const line of listed) {
    const [mode, , id, name] = line.split(/\s+/);
    assert.equal(cache.lookup(rootTree, `folder-1/${name}`), { mode, id });
  }
  assert.equal(reader.reads, [folderTrees[1]], 'folder-1 was read again, once');
});

function blobId(folder: number, file: number): string {
  return git(dir, ['rev-parse', `main:${fileOf(folder, file)}`]).trim();
}

test.run();
