// Backpressure: a cluster that writes faster than commits are made must not grow the watch's memory without end
// (figure 7: at 100,000 objects and 5,000 writes a second the heap reached its cap). Once the changes pending and
// being written reach maxBacklog, roomForMore() makes the event source wait until a commit has made room.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HistoryWriter } from '../../lib/history/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { ManualClock } from '../health/manual-clock.ts';
import { settled } from './settled.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { configmaps as configMaps } from '../watch/recorder.ts';

const configMap = (name: string, value = name) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop' },
  data: { k: value },
});

async function writerWithBacklog(maxBacklog: number) {
  const tmp = temporaryDirectory('kubesnap-writer-backlog-');
  const dir = join(tmp.path, 'repo.git');
  const repository = await SnapshotRepository.open(dir);
  const writer = new HistoryWriter({
    repository,
    clock: new ManualClock(),
    author: { name: 'test', email: 'test@example.com' },
    cluster: { server: 'https://127.0.0.1', context: 'test' },
    batchMs: 60_000,
    maxBacklog,
  });
  await writer.start();
  return { writer, dir, done: () => rmSync(tmp.path, { recursive: true, force: true }) };
}

test('below the backlog there is room; at it the source waits until a commit has made room', async () => {
  const { writer, done } = await writerWithBacklog(3);
  try {
    writer.upsert(configMaps, configMap('a'));
    writer.upsert(configMaps, configMap('b'));
    assert.is(writer.roomForMore(), undefined, 'two changes of three: room');
    writer.upsert(configMaps, configMap('c'));
    const waiting = writer.roomForMore();
    assert.ok(waiting, 'three changes pending: the source must wait');
    assert.not.ok(await settled(waiting), 'no commit yet');
    await writer.flush();
    assert.ok(await settled(waiting), 'the commit made room');
  } finally {
    done();
  }
});

test('changes being written count until their commit ends, also when it fails; stop() lets every source go', async () => {
  const { writer, dir, done } = await writerWithBacklog(2);
  try {
    const lock = join(dir, 'refs', 'heads', 'main.lock');
    writeFileSync(lock, '');
    writer.upsert(configMaps, configMap('a'));
    writer.upsert(configMaps, configMap('b'));
    const waiting = writer.roomForMore();
    assert.ok(waiting);
    await writer.flush().catch(() => undefined);
    assert.not.ok(await settled(waiting), 'a failed commit leaves its changes pending: still no room');
    rmSync(lock);
    await writer.flush();
    assert.ok(await settled(waiting), 'the retry made room');

    writer.upsert(configMaps, configMap('a', 'changed'));
    writer.upsert(configMaps, configMap('b', 'changed'));
    const atStop = writer.roomForMore();
    assert.ok(atStop);
    await writer.stop();
    assert.ok(await settled(atStop), 'stop() does not leave a source waiting');
  } finally {
    done();
  }
});

test('a first full sync is never held back, whatever its size', async () => {
  const { writer, done } = await writerWithBacklog(2);
  try {
    writer.hold();
    for (const name of ['a', 'b', 'c', 'd']) writer.upsert(configMaps, configMap(name));
    assert.is(writer.roomForMore(), undefined, 'held: no waiting');
    writer.release();
    const waiting = writer.roomForMore();
    assert.ok(waiting, 'released: four changes pending, over the backlog');
    await writer.flush();
    assert.ok(await settled(waiting));
  } finally {
    done();
  }
});

test.run();
