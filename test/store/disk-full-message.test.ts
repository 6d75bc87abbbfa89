// The sentence of disk-full.ts for what the tmpfs of disk-full.test.ts cannot produce here: EDQUOT (tmpfs quotas
// are not built into this kernel) and the estimate of what a commit needs.
import { randomBytes } from 'node:crypto';
import { rmSync, statfsSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DiskFullError, diskFullError, estimateStoredBytes } from '../../lib/store/disk-full.ts';
import { prepareBlob } from '../../lib/store/index.ts';
import { temporaryDir } from './real-git.ts';

const root = temporaryDir('disk-full-message');
const MB = 1 << 20;

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: write`), { code });
}

test('ENOSPC and EDQUOT become one sentence naming the repository and the space missing beyond what is free; exit 1', () => {
  const { bavail, bsize } = statfsSync(root);
  const needed = bavail * bsize + 5 * MB;
  const full = diskFullError(errno('ENOSPC'), root, needed);
  assert.instance(full, DiskFullError);
  assert.is((full as DiskFullError).exitCode, 1);
  assert.match(
    (full as Error).message,
    new RegExp(`^the disk holding ${root} is full: kubesnap needs about [56] MB more\\.$`),
  );
  const quota = diskFullError(errno('EDQUOT'), `${root}/not-made-yet`, 0);
  assert.match(
    (quota as Error).message,
    new RegExp(`^the disk quota for ${root}/not-made-yet is used up: kubesnap needs about 1 MB more\\.$`),
  );
  const other = errno('EACCES');
  assert.is(diskFullError(other, root, needed), other);
});

test("a commit's need is estimated from its deflated blobs, or from its contents at the compression a sample gets", () => {
  const contents = Array.from({ length: 200 }, () => Buffer.from(randomBytes(2000).toString('hex')));
  const packed = contents.reduce((sum, content) => sum + prepareBlob(content).packed.bytes.length, 0);
  const fromBlobs = estimateStoredBytes(contents.map((content) => ({ content, blob: prepareBlob(content) })));
  const fromContents = estimateStoredBytes(contents.map((content) => ({ content })));
  for (const estimate of [fromBlobs, fromContents])
    assert.ok(estimate > packed && estimate < packed * 1.2, `${estimate} for ${packed} bytes packed`);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
