// The snapshot stream as grpc-js delivers a failed call: it ends the stream, then emits the error (after etcd3 has
// put its own listener on it). An error that comes before the file is open must fail the snapshot, not leave it empty.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeSnapshotStream } from '../../lib/etcd/take-snapshot.ts';

function grpcStream(send: (stream: Readable) => void): Readable {
  const stream = new Readable({ objectMode: true, read() {} });
  stream.on('error', () => undefined);
  process.nextTick(() => send(stream));
  return stream;
}

test('a call that fails while the file opens fails the snapshot', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubesnap-etcd-stream-'));
  try {
    const refused = grpcStream((stream) => {
      stream.push(null);
      stream.emit('error', new Error('14 UNAVAILABLE: No connection established'));
    });
    const outcome = await writeSnapshotStream(refused, join(dir, 'partial')).then(
      () => 'resolved',
      (error: Error) => error.message,
    );
    assert.is(outcome, '14 UNAVAILABLE: No connection established');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a call that succeeds writes every blob in order', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kubesnap-etcd-stream-'));
  try {
    const answered = grpcStream((stream) => {
      stream.push({ blob: Buffer.from('bolt ') });
      stream.push({ blob: Buffer.from('pages') });
      stream.push(null);
    });
    await writeSnapshotStream(answered, join(dir, 'partial'));
    assert.is(await readFile(join(dir, 'partial'), 'utf8'), 'bolt pages');
    assert.equal(await readdir(dir), ['partial']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
