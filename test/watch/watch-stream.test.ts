import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  KubeClient,
  isGone,
  watchEvents,
  type ApiResource,
  type RawWatchEvent,
} from '../../lib/kube/index.ts';

const configmaps: ApiResource = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  singularName: 'configmap',
  namespaced: true,
  verbs: ['list', 'watch'],
  shortNames: ['cm'],
  categories: [],
};
const fixture = (name: string) => readFileSync(new URL(`../fixtures/apiserver/watch/${name}`, import.meta.url));

/** A plain-HTTP server answering every request with `body` in chunks of `chunkSize` bytes, recording the request URLs. */
async function serveInChunks(
  body: Buffer,
  chunkSize: number,
): Promise<{ client: KubeClient; urls: URL[]; server: Server }> {
  const urls: URL[] = [];
  const server = createServer(async (req, res) => {
    urls.push(new URL(req.url!, 'http://localhost'));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    for (let offset = 0; offset < body.length; offset += chunkSize) {
      res.write(body.subarray(offset, offset + chunkSize));
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new KubeClient({ server: `http://127.0.0.1:${port}`, contextName: 'test', tls: {}, headers: {} });
  return { client, urls, server };
}

async function collect(events: AsyncIterable<RawWatchEvent>): Promise<RawWatchEvent[]> {
  const seen: RawWatchEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

for (const chunkSize of [1, 7, 4096]) {
  test(`recorded watch stream parsed the same in chunks of ${chunkSize} bytes`, async () => {
    const { client, urls, server } = await serveInChunks(fixture('configmaps_shop.jsonl'), chunkSize);
    try {
      const events = await collect(
        watchEvents(client, configmaps, {
          namespace: 'shop',
          resourceVersion: '435',
          allowWatchBookmarks: true,
          timeoutSeconds: 300,
          labelSelector: 'tier=frontend',
        }),
      );
      assert.equal(
        events.map((e) => e.type),
        ['ADDED', 'ADDED', 'BOOKMARK', 'ADDED', 'MODIFIED', 'MODIFIED', 'DELETED', 'BOOKMARK'],
      );
      assert.equal(
        events.map((e) => e.object.metadata?.resourceVersion),
        ['384', '435', '500', '501', '502', '503', '504', '504'],
      );
      assert.is(events[3].object.kind, 'ConfigMap');
      assert.is(events[3].object.apiVersion, 'v1');
      const url = urls[0];
      assert.is(url.pathname, '/api/v1/namespaces/shop/configmaps');
      assert.is(url.searchParams.get('watch'), '1');
      assert.is(url.searchParams.get('resourceVersion'), '435');
      assert.is(url.searchParams.get('allowWatchBookmarks'), 'true');
      assert.is(url.searchParams.get('timeoutSeconds'), '300');
      assert.is(url.searchParams.get('labelSelector'), 'tier=frontend');
    } finally {
      client.close();
      server.closeAllConnections();
      server.close();
    }
  });
}

test('a multi-byte character split between chunks survives', async () => {
  const line =
    JSON.stringify({
      type: 'ADDED',
      object: { metadata: { name: 'ü-€', resourceVersion: '7' }, data: { greeting: 'grüße 🌍' } },
    }) + '\n';
  const { client, server } = await serveInChunks(Buffer.from(line + line), 1);
  try {
    const events = await collect(watchEvents(client, configmaps));
    assert.is(events.length, 2);
    assert.is((events[1].object.data as Record<string, string>).greeting, 'grüße 🌍');
    assert.is(events[0].object.metadata?.name, 'ü-€');
  } finally {
    client.close();
    server.close();
  }
});

test('an ERROR event with a 410 Status is thrown as ApiError 410 Expired', async () => {
  const { client, server } = await serveInChunks(fixture('too_old_resource_version.jsonl'), 5);
  try {
    const error = await collect(watchEvents(client, configmaps, { resourceVersion: '1' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApiError, String(error));
    assert.ok(isGone(error));
    assert.is((error as ApiError).reason, 'Expired');
    assert.match((error as ApiError).message, /too old resource version: 1 \(257\)/);
  } finally {
    client.close();
    server.close();
  }
});

test('initial events end with a bookmark carrying the list version', async () => {
  const { client, urls, server } = await serveInChunks(fixture('configmaps_shop_initial_events.jsonl'), 64);
  try {
    const events = await collect(
      watchEvents(client, configmaps, { namespace: 'shop', sendInitialEvents: true, allowWatchBookmarks: true }),
    );
    assert.equal(
      events.map((e) => e.type),
      ['ADDED', 'ADDED', 'BOOKMARK'],
    );
    const annotations = events[2].object.metadata?.annotations as Record<string, string>;
    assert.is(annotations['k8s.io/initial-events-end'], 'true');
    assert.is(urls[0].searchParams.get('sendInitialEvents'), 'true');
    assert.is(urls[0].searchParams.get('resourceVersionMatch'), 'NotOlderThan');
  } finally {
    client.close();
    server.close();
  }
});

test('stopping early closes the connection', async () => {
  const { client, server } = await serveInChunks(fixture('configmaps_shop.jsonl'), 4096);
  try {
    for await (const event of watchEvents(client, configmaps)) {
      assert.is(event.type, 'ADDED');
      break;
    }
  } finally {
    client.close();
    server.close();
  }
});

test.run();
