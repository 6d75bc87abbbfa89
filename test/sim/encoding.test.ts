// Kept encodings (lib/sim/encoding.ts): list pages, GETs and watch events assembled from each committed object's
// kept bytes are byte for byte JSON.stringify of the same objects, for ordinary and awkward objects, after changes
// too; objects handed out cannot be changed in place.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { builtinResources } from '../../lib/sim/catalog.ts';
import { encodedJson, listJson, seal, servedJson, servedObject, watchEventLine } from '../../lib/sim/encoding.ts';
import { startSimulator, type KubeObject, type Simulator } from '../../lib/sim/index.ts';
import { clusterObjects, resourceOf } from '../bench/cluster-objects.ts';
import { call, watch } from './http.ts';

const configMaps = builtinResources().find((d) => d.resource === 'configmaps')!;

// Shapes where splicing kind and apiVersion in front of the stored bytes would go wrong if done naively.
const awkward: Array<[string, KubeObject]> = [
  ['ordinary', { metadata: { name: 'a', namespace: 'shop', resourceVersion: '7' }, data: { k: 'v' } }],
  ['an array-index first key', { '7': 'seven', metadata: { name: 'b' }, '10': 'ten' } as unknown as KubeObject],
  ['its own kind and apiVersion', { kind: 'Other', apiVersion: 'x/v9', metadata: { name: 'c' } }],
  ['an undefined kind', { kind: undefined, metadata: { name: 'd' } }],
  ['no fields', {} as KubeObject],
  ['only undefined fields', { metadata: undefined } as unknown as KubeObject],
  [
    'escapes and non-ASCII',
    {
      metadata: { name: 'e', annotations: { 'ü/€': 'line\nbreak "quoted" \u2028 \ud800 😀' } },
      data: { b: '1', '2': 'two' },
    },
  ],
];

test('a served object is JSON.stringify of cluster.serve, sealed or not', () => {
  for (const [what, object] of awkward) {
    const expected = JSON.stringify(servedObject(configMaps, object));
    assert.is(servedJson(configMaps, object).toString(), expected, what);
    const sealed = structuredClone(object);
    seal(sealed);
    assert.is(servedJson(configMaps, sealed).toString(), expected, `${what}, sealed`);
    assert.is(servedJson(configMaps, sealed).toString(), expected, `${what}, sealed, second time`);
  }
});

test('a list is JSON.stringify of { kind, apiVersion, metadata, items }', () => {
  const items = awkward.map(([, object]) => structuredClone(object));
  items.forEach((item) => seal(item));
  for (const metadata of [
    { resourceVersion: '12' },
    { resourceVersion: '12', continue: 'abc', remainingItemCount: 3 },
  ]) {
    for (const some of [[], items.slice(0, 1), items]) {
      const expected = JSON.stringify({ kind: configMaps.listKind, apiVersion: 'v1', metadata, items: some });
      assert.is(listJson(configMaps, metadata, some).toString(), expected);
    }
  }
});

test('a watch event line is JSON.stringify of { type, object } and a newline', () => {
  const [, object] = awkward[6];
  const line = watchEventLine('MODIFIED', servedJson(configMaps, object)).toString();
  assert.is(line, `${JSON.stringify({ type: 'MODIFIED', object: servedObject(configMaps, object) })}\n`);
});

test('a sealed object is encoded once, an unsealed one afresh every time', () => {
  const sealed: KubeObject = { metadata: { name: 'sealed' } };
  seal(sealed);
  assert.is(encodedJson(sealed), encodedJson(sealed));
  const open: KubeObject = { metadata: { name: 'open' } };
  assert.is(encodedJson(open).toString(), '{"metadata":{"name":"open"}}');
  open.metadata.name = 'changed';
  assert.is(encodedJson(open).toString(), '{"metadata":{"name":"changed"}}');
});

let sim: Simulator;

test.before(async () => {
  sim = await startSimulator({ seed: clusterObjects(60) });
});

test.after(async () => {
  await sim.stop();
});

const pathOf = (group: string, version: string, resource: string) =>
  group ? `/apis/${group}/${version}/${resource}` : `/api/v1/${resource}`;
const stored = ({ kind: _kind, apiVersion: _apiVersion, ...rest }: KubeObject) => rest;

async function assertPagesMatch(group: string, version: string, resource: string): Promise<void> {
  const expected = sim.list(group, resource).map(stored);
  let token: string | undefined;
  let offset = 0;
  do {
    const page = await call(
      sim,
      'GET',
      `${pathOf(group, version, resource)}?limit=4${token ? `&continue=${token}` : ''}`,
    );
    const items = expected.slice(offset, offset + page.json.items.length);
    assert.is(
      page.text,
      `${JSON.stringify({ kind: page.json.kind, apiVersion: page.json.apiVersion, metadata: page.json.metadata, items })}\n`,
    );
    offset += items.length;
    token = page.json.metadata.continue;
  } while (token);
  assert.is(offset, expected.length);
}

test('list pages and GETs of every bench kind are JSON.stringify of the stored objects', async () => {
  for (let i = 0; i < 10; i++) {
    const { group, version, resource } = resourceOf(i);
    await assertPagesMatch(group, version, resource);
    for (const object of sim.list(group, resource).slice(0, 3)) {
      const got = await call(
        sim,
        'GET',
        `${pathOf(group, version, `namespaces/${object.metadata.namespace}/${resource}`)}/${object.metadata.name}`,
      );
      assert.is(got.text, `${JSON.stringify(object)}\n`);
    }
  }
});

test('after writes, GETs, lists and watch events carry the new bytes', async () => {
  const path = '/api/v1/namespaces/ns-0/configmaps';
  const start = await call(sim, 'GET', path);
  const stream = await watch(sim, `${path}?watch=1&resourceVersion=${start.json.metadata.resourceVersion}`);
  const created = await call(sim, 'POST', path, {
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      '3': 'an array-index field',
      metadata: { name: 'odd' },
      data: { z: '1', '1': 'one', ü: 'ß € 😀 \u2028' },
    },
  });
  assert.is(created.text, `${JSON.stringify(sim.get('', 'configmaps', 'ns-0', 'odd'))}\n`);
  const afterCreate = sim.get('', 'configmaps', 'ns-0', 'odd')!;
  const patched = await call(sim, 'PATCH', `${path}/odd`, {
    body: { data: { z: '2' } },
    contentType: 'application/merge-patch+json',
  });
  const afterPatch = sim.get('', 'configmaps', 'ns-0', 'odd')!;
  assert.is(patched.text, `${JSON.stringify(afterPatch)}\n`);
  assert.is((await call(sim, 'GET', `${path}/odd`)).text, `${JSON.stringify(afterPatch)}\n`);
  await assertPagesMatch('', 'v1', 'configmaps');
  const deleted = await call(sim, 'DELETE', `${path}/odd`);
  assert.is(deleted.status, 200);
  const events = await stream.next(3);
  stream.close();
  const gone = {
    ...afterPatch,
    metadata: { ...afterPatch.metadata, resourceVersion: events[2].object.metadata.resourceVersion },
  };
  assert.equal(stream.lines, [
    JSON.stringify({ type: 'ADDED', object: afterCreate }),
    JSON.stringify({ type: 'MODIFIED', object: afterPatch }),
    JSON.stringify({ type: 'DELETED', object: gone }),
  ]);
});

test('after PUT, patch, /status, /scale and apply, a GET is still JSON.stringify of the stored object', async () => {
  const path = '/apis/apps/v1/namespaces/ns-0/deployments';
  const stored = () => JSON.stringify(sim.get('apps', 'deployments', 'ns-0', 'kept'));
  const served = async () => (await call(sim, 'GET', `${path}/kept`)).text;
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'kept', labels: { app: 'kept' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'kept' } },
      template: { metadata: { labels: { app: 'kept' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } },
    },
  };
  const created = await call(sim, 'POST', path, { body: deployment });
  assert.is(created.status, 201);
  const writes: Array<[string, () => Promise<{ status: number }>]> = [
    [
      'PUT',
      async () =>
        call(sim, 'PUT', `${path}/kept`, {
          body: { ...JSON.parse(await served()), spec: { ...deployment.spec, replicas: 2 } },
        }),
    ],
    [
      'merge patch',
      () =>
        call(sim, 'PATCH', `${path}/kept`, {
          body: { metadata: { annotations: { a: 'b' } } },
          contentType: 'application/merge-patch+json',
        }),
    ],
    [
      'PUT /status',
      async () =>
        call(sim, 'PUT', `${path}/kept/status`, {
          body: { ...JSON.parse(await served()), status: { replicas: 2, readyReplicas: 1 } },
        }),
    ],
    [
      'PUT /scale',
      async () =>
        call(sim, 'PUT', `${path}/kept/scale`, {
          body: {
            apiVersion: 'autoscaling/v1',
            kind: 'Scale',
            metadata: { name: 'kept', namespace: 'ns-0' },
            spec: { replicas: 4 },
          },
        }),
    ],
    [
      'apply',
      () =>
        call(sim, 'PATCH', `${path}/kept?fieldManager=test`, {
          body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'kept', labels: { tier: 'web' } } },
          contentType: 'application/apply-patch+yaml',
        }),
    ],
  ];
  for (const [what, write] of writes) {
    assert.is((await write()).status, 200, what);
    assert.is(await served(), `${stored()}\n`, what);
  }
  assert.match(stored(), /"tier":"web"/);
  assert.match(stored(), /"replicas":4/);
});

test('a watch without a resourceVersion starts with every object as ADDED, in their bytes', async () => {
  const path = '/apis/apps/v1/namespaces/ns-0/deployments';
  const current = sim.list('apps', 'deployments', 'ns-0');
  assert.ok(current.length > 0);
  const stream = await watch(sim, `${path}?watch=1&allowWatchBookmarks=true&sendInitialEvents=true`);
  await stream.next(current.length + 1);
  stream.close();
  assert.equal(
    stream.lines.slice(0, current.length),
    current.map((object) => JSON.stringify({ type: 'ADDED', object })),
  );
  assert.is(stream.events[current.length].type, 'BOOKMARK');
});

test('Tables, as lists and as watch events, are still plain JSON.stringify output', async () => {
  const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
  const path = '/api/v1/namespaces/ns-0/configmaps';
  const table = await call(sim, 'GET', `${path}?includeObject=Object`, { accept });
  assert.is(table.json.kind, 'Table');
  // What JSON.stringify makes of a JavaScript object survives a parse and a stringify unchanged.
  assert.is(table.text, `${JSON.stringify(table.json)}\n`);
  const stream = await watch(sim, `${path}?watch=1`, accept);
  await stream.next(1);
  stream.close();
  for (const line of stream.lines) assert.is(line, JSON.stringify(JSON.parse(line)));
});

test('objects the simulator hands out are frozen all the way down: a caller cannot change what it serves', () => {
  const listed = sim.list('', 'configmaps', 'ns-0')[0];
  assert.ok(Object.isFrozen(listed.metadata));
  assert.throws(() => {
    (listed.data as Record<string, string>).extra = 'x';
  });
  const got = sim.get('apps', 'deployments', 'ns-0', sim.list('apps', 'deployments', 'ns-0')[0].metadata.name!)!;
  assert.throws(() => {
    (got.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0].image =
      'changed';
  });
});

test.run();
