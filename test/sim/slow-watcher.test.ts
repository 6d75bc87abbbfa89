// A real API server does not buffer a slow watcher's events forever: its watch cache ends a watcher whose buffer
// stays full, after the events already queued, and the client watches again from the last resourceVersion it read.
// The simulator does the same past `watchBufferEvents` live events its client has not taken.
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { once } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator, type KubeObject, type Simulator } from '../../lib/sim/index.ts';
import { spawnKubectl } from '../helpers/kubectl.ts';
import { watch } from './http.ts';

const CM = '/api/v1/namespaces/shop/configmaps';
const SHOP = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';
// Big enough that the kernel's socket buffers fill after a few hundred events, not tens of thousands.
const FILLER = 'x'.repeat(16 * 1024);

const write = (n: number, name = `cm-${n % 10}`): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop' },
  data: { n: String(n), filler: FILLER },
});
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A watch whose client reads nothing until it resumes the response. */
function unreadWatch(sim: Simulator, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(`${sim.url}${path}`, { headers: { authorization: `Bearer ${sim.token}` }, ca: sim.caPem });
    req.on('response', (response) => {
      response.pause();
      resolve(response);
    });
    req.on('error', reject);
    req.end();
  });
}

async function readToEnd(response: IncomingMessage): Promise<any[]> {
  let text = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (text += chunk));
  response.resume();
  await once(response, 'end');
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

test('a watcher that does not read is ended after its queued events; watching again from the last it read gives the rest, each once', async () => {
  const sim = await startSimulator({ watchBufferEvents: 20 });
  try {
    sim.seedYaml(SHOP);
    const unread = await unreadWatch(sim, `${CM}?watch=1&resourceVersion=${sim.resourceVersion}`);
    let writes = 0;
    // One write a turn: every earlier one had its chance to reach the socket.
    while (sim.terminatedWatches === 0 && writes < 2000) {
      sim.seed([write(writes++)]);
      await nextTurn();
    }
    assert.is(sim.terminatedWatches, 1, `the watch was ended once its buffer was full (${writes} writes)`);
    const afterTheEnd = writes + 30;
    while (writes < afterTheEnd) sim.seed([write(writes++)]);

    const first = await readToEnd(unread);
    assert.ok(first.length > 20, 'the events queued before the end are delivered');
    assert.ok(first.length < writes, 'but not the ones after it');
    assert.equal(
      first.map((event) => [event.type, Number(event.object.data.n)]),
      first.map((_, n) => [n < 10 ? 'ADDED' : 'MODIFIED', n]),
      'in order, none skipped, and no ERROR: the stream simply ends',
    );

    const last = first.at(-1).object.metadata.resourceVersion;
    const again = await watch(sim, `${CM}?watch=1&resourceVersion=${last}`);
    const rest = await again.next(writes - first.length);
    again.close();
    assert.equal(
      rest.map((event) => Number(event.object.data.n)),
      Array.from({ length: writes - first.length }, (_, i) => first.length + i),
      'the rest, from the one after the last read',
    );
    assert.is(sim.terminatedWatches, 1, 'a watcher that reads is not ended');
  } finally {
    await sim.stop();
  }
});

test('the writes of one turn of the event loop never end a watch, however many: none had a chance to leave', async () => {
  const sim = await startSimulator({ watchBufferEvents: 20 });
  try {
    sim.seedYaml(SHOP);
    const stream = await watch(sim, `${CM}?watch=1&resourceVersion=${sim.resourceVersion}`);
    sim.seed(Array.from({ length: 100 }, (_, n) => write(n, `burst-${n}`)));
    assert.is((await stream.next(100)).length, 100);
    stream.close();
    assert.is(sim.terminatedWatches, 0);
  } finally {
    await sim.stop();
  }
});

test('kubectl get --watch keeps up with bursts of writes and is never ended (default buffer)', async () => {
  const sim = await startSimulator();
  sim.seedYaml(SHOP);
  const kubectl = spawnKubectl(sim.kubeconfigPath, ['-n', 'shop', 'get', 'configmaps', '--watch-only', '-o', 'name']);
  let beat = 0;
  const heartbeat = setInterval(() => sim.seed([{ ...write(0, 'watching'), data: { beat: String(beat++) } }]), 100);
  try {
    await kubectl.waitForLine((line) => line === 'configmap/watching');
    clearInterval(heartbeat);
    const count = 2000;
    // Bursts of 200 writes in one turn of the event loop, as a busy server's watch cache dispatches them.
    for (let n = 0; n < count; n += 200) {
      sim.seed(Array.from({ length: 200 }, (_, i) => ({ ...write(n + i, `burst-${n + i}`), data: { n: '1' } })));
      await nextTurn();
    }
    await kubectl.waitForLine((line) => line === `configmap/burst-${count - 1}`, 20_000);
    assert.is(new Set(kubectl.lines.filter((line) => line.startsWith('configmap/burst-'))).size, count);
    assert.is(sim.terminatedWatches, 0);
  } finally {
    clearInterval(heartbeat);
    await kubectl.stop();
    await sim.stop();
  }
});

test.run();
