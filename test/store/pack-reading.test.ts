import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hashObject, SnapshotRepository } from '../../lib/store/index.ts';
import { git, temporaryDir } from './real-git.ts';

const root = temporaryDir('pack-reading');

/** A zlib stream of 100-byte stored blocks: valid, and 5% longer than zlib itself would ever write. */
function looseZlib(data: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from([0x78, 0x01])];
  for (let at = 0; at < data.length; at += 100) {
    const chunk = data.subarray(at, at + 100);
    const header = Buffer.alloc(5);
    header[0] = at + 100 >= data.length ? 1 : 0;
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    parts.push(header, chunk);
  }
  let a = 1;
  let b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(((b << 16) | a) >>> 0);
  return Buffer.concat([...parts, adler]);
}

function blobEntry(data: Buffer): Buffer {
  const bytes: number[] = [];
  let size = Math.floor(data.length / 16);
  let byte = (3 << 4) | (data.length & 15);
  while (size > 0) {
    bytes.push(byte | 0x80);
    byte = size & 0x7f;
    size = Math.floor(size / 128);
  }
  bytes.push(byte);
  return Buffer.concat([Buffer.from(bytes), looseZlib(data)]);
}

test('a pack entry longer than zlib would write it (another compressor) is still read whole', async () => {
  const dir = join(root, 'other-compressor.git');
  git(root, ['init', '-q', '--bare', dir]);
  const blobs = [Buffer.from('x'.repeat(20_000)), Buffer.from('small\n')];
  const header = Buffer.alloc(12);
  header.write('PACK', 0, 'latin1');
  header.writeUInt32BE(2, 4);
  header.writeUInt32BE(blobs.length, 8);
  const body = Buffer.concat([header, ...blobs.map(blobEntry)]);
  const packPath = join(dir, 'objects', 'pack', 'pack-handmade.pack');
  writeFileSync(packPath, Buffer.concat([body, createHash('sha1').update(body).digest()]));
  git(dir, ['index-pack', packPath]);
  const repo = await SnapshotRepository.open(dir);
  for (const blob of blobs) assert.ok((await repo.readBlob(hashObject('blob', blob))).equals(blob));
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
