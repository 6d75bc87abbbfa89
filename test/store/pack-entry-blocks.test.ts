// Blobs go to the pack-entry thread in blocks of a few MB, one after the other, so a first sync's whole cluster is
// never copied into one block; the entries come back in the order of the blobs, as the thread deflates them.
import { inflateSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PackEntryThreads } from '../../lib/store/index.ts';
import { packEntry } from '../../lib/store/object-writer.ts';

test('blobs of more than one block come back as their pack entries, in order', async () => {
  // ~9 MB of 1 KB blobs: three blocks of at most 4 MB.
  const blobs = Array.from({ length: 9_000 }, (_, i) =>
    Buffer.from(`kind: ConfigMap\nname: cm-${i}\n${'x'.repeat(1000)}\n`),
  );
  const threads = new PackEntryThreads();
  const calls = (threads as unknown as { calls: { call: (...args: unknown[]) => Promise<unknown> } }).calls;
  const call = calls.call.bind(calls);
  let sent = 0;
  calls.call = (...args) => (sent++, call(...args));
  try {
    const entries = await threads.blobEntries(blobs);
    assert.is(sent, 3);
    assert.is(entries.length, blobs.length);
    for (const i of [0, 4_095, 4_096, 8_999]) {
      const expected = packEntry('blob', blobs[i]);
      assert.ok(entries[i].bytes.equals(expected.bytes), `entry ${i}`);
      assert.is(entries[i].crc, expected.crc);
    }
    assert.ok(inflateSync(entries[8_999].bytes.subarray(2)).equals(blobs[8_999]));
  } finally {
    await threads.close();
  }
});

test.run();
