// Big list pages are processed in worker threads (lib/snapshot/page-processor.ts): what they commit must be
// exactly what the main thread commits, and their failures must reach the user as the same one sentence.
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { KubesnapError } from '../../lib/errors/index.ts';
import { systemClock } from '../../lib/health/index.ts';
import type { ApiResource } from '../../lib/kube/index.ts';
import type { KubeObject } from '../../lib/sim/index.ts';
import { takeSnapshot } from '../../lib/snapshot/index.ts';
import { processListPage, type PageJob } from '../../lib/snapshot/list-page.ts';
import { ListPageProcessor } from '../../lib/snapshot/page-processor.ts';
import { WorkerCalls } from '../../lib/runtime/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { clientFor, testAuthor, testCluster } from '../helpers/cluster.ts';
import { git } from '../helpers/processes.ts';
import { testDigestKey } from '../helpers/digest-key.ts';
import { simulatorSuite, type SimulatorContext } from '../helpers/simulator-suite.ts';

const configmaps: ApiResource = {
  group: '',
  version: 'v1',
  resource: 'configmaps',
  kind: 'ConfigMap',
  namespaced: true,
  singularName: 'configmap',
  verbs: ['get', 'list', 'watch'],
  shortNames: ['cm'],
  categories: [],
};
const secrets: ApiResource = {
  ...configmaps,
  resource: 'secrets',
  kind: 'Secret',
  singularName: 'secret',
  shortNames: [],
};
const job = (resource: ApiResource, sealSecrets = false): PageJob => ({
  resource,
  normalize: { digestKey: testDigestKey },
  namespaces: {},
  sealSecrets,
});

/** 600 objects a kind: in pages of 150, every page but the first of a kind goes to a worker (over 128 KB). */
function bigCluster(): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let i = 0; i < 600; i++) {
    const namespace = ['shop', 'payments', 'kube-system'][i % 3];
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: i % 50 === 0 ? `dotted.name-${i}` : `settings-${i}`,
        namespace,
        labels: { app: `app-${i % 7}` },
      },
      data: Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`key-${k}`, `value ${i} ${k} ${'x'.repeat(60)}`])),
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: `secret-${i}`, namespace },
      data: {
        password: Buffer.from(`password-${i}`).toString('base64'),
        token: Buffer.from('t'.repeat(400)).toString('base64'),
      },
    });
    if (i % 10 === 0) {
      // Owned by a controller: skipped, and counted as such on both paths.
      objects.push({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `owned-${i}`,
          namespace,
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: `uid-${i}`, controller: true },
          ],
        },
        data: { a: 'b' },
      });
    }
  }
  return objects;
}

interface Context extends SimulatorContext {}

const workers = simulatorSuite<Context>('page workers', { seeded: false, simulator: { seed: bigCluster() } });

/** Where pages go: all on the main thread, laid out there and deflated on a pack-entry thread, or to page workers. */
const placements = {
  inline: { threads: 0 },
  'pack-entry thread': { threads: 2, bigCollection: Infinity },
  'page workers': { threads: 2, bigCollection: 0 },
  'page workers after 300 listed': { threads: 2, bigCollection: 300 },
};

async function snapshotWith(
  context: Context,
  placement: keyof typeof placements,
  options: { excludeNamespaces?: string[]; labelSelector?: string } = {},
) {
  const client = await clientFor(context.sim);
  try {
    const dir = join(
      context.tmp.path,
      `repo-${placement}-${options.excludeNamespaces?.join() ?? ''}-${options.labelSelector ?? ''}`,
    );
    const repository = await SnapshotRepository.open(dir, { create: true });
    const result = await takeSnapshot({
      client,
      repository,
      pageSize: 150,
      pageProcessing: placements[placement],
      author: { ...testAuthor, timestamp: 1_800_000_000 },
      cluster: testCluster,
      clock: { ...systemClock, now: () => 1_800_000_000_000 },
      selection: { excludeNamespaces: options.excludeNamespaces, labelSelector: options.labelSelector },
      // One key for every repository compared here (each would otherwise make its own), and so for every thread.
      normalize: { digestKey: testDigestKey },
    });
    return { dir, result, tree: (await git(dir, 'rev-parse', 'HEAD^{tree}')).trim() };
  } finally {
    client.close();
  }
}

workers('pages processed in worker threads commit exactly what the main thread commits', async (context) => {
  const inline = await snapshotWith(context, 'inline');
  assert.ok(inline.result.objects > 1_200, `${inline.result.objects} objects`);
  for (const placement of ['pack-entry thread', 'page workers'] as const) {
    const threaded = await snapshotWith(context, placement);
    assert.is(threaded.tree, inline.tree, placement);
    assert.equal(threaded.result.skippedObjects, inline.result.skippedObjects);
    assert.ok((threaded.result.skippedObjects.owned ?? 0) >= 60);
    await git(threaded.dir, 'fsck', '--strict');
    const secret = await git(threaded.dir, 'show', 'HEAD:shop/secrets/secret-0.yaml');
    assert.match(secret, /password: hmac-sha256:/);
    assert.not.match(secret, new RegExp(Buffer.from('password-0').toString('base64')));
  }
});

/** The worker modules called during `action`, with how many calls each. */
async function workerCalls(action: () => Promise<unknown>): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  const call = WorkerCalls.prototype.call;
  WorkerCalls.prototype.call = function (this: WorkerCalls<unknown, unknown>, ...args: Parameters<typeof call>) {
    const source = (this as unknown as { source: URL }).source.pathname;
    const name = source.slice(source.lastIndexOf('/') + 1);
    calls[name] = (calls[name] ?? 0) + 1;
    return call.apply(this, args);
  };
  try {
    await action();
  } finally {
    WorkerCalls.prototype.call = call;
  }
  return calls;
}

workers(
  'pages go where the placement says: big collections to page workers, once their size is known',
  async (context) => {
    assert.equal(await workerCalls(() => snapshotWith(context, 'inline')), {});
    const deflatedElsewhere = await workerCalls(() => snapshotWith(context, 'pack-entry thread'));
    assert.ok(
      deflatedElsewhere['pack.worker.ts'] > 0 && !deflatedElsewhere['page.worker.ts'],
      JSON.stringify(deflatedElsewhere),
    );
    // The first page of a kind is never a page worker's: only then is the collection's size known.
    const big = await workerCalls(() => snapshotWith(context, 'page workers'));
    assert.ok(big['page.worker.ts'] > 0, JSON.stringify(big));
    // With a selector the server leaves remainingItemCount out: the 600 labelled ConfigMaps count as big once
    // 300 are listed, in pages of 150.
    const selected = await workerCalls(() =>
      snapshotWith(context, 'page workers after 300 listed', { labelSelector: 'app' }),
    );
    assert.ok(selected['page.worker.ts'] > 0, JSON.stringify(selected));
  },
);

workers('namespace exclusions are applied inside the workers as on the main thread', async (context) => {
  const inline = await snapshotWith(context, 'inline', { excludeNamespaces: ['kube-*'] });
  const threaded = await snapshotWith(context, 'page workers', { excludeNamespaces: ['kube-*'] });
  assert.is(threaded.tree, inline.tree);
  assert.is(
    (await git(threaded.dir, 'ls-tree', '--name-only', 'HEAD')).split('\n').filter((name) => name === 'kube-system')
      .length,
    0,
  );
});

workers('a list that is not JSON is one sentence from a worker as from the main thread', async () => {
  const garbage = Buffer.from(`{"kind":"ConfigMapList","items":[${'{"metadata":{"name":"x"}},'.repeat(20_000)}`);
  assert.throws(
    () => processListPage(garbage, job(configmaps)),
    (error: unknown) =>
      error instanceof KubesnapError && error.code === 'ECLUSTER' && /not valid JSON/.test(error.message),
  );
  const processor = new ListPageProcessor({ threads: 1 });
  try {
    const failed = await processor.process(garbage, job(configmaps), true).then(
      () => undefined,
      (error) => error,
    );
    assert.instance(failed, KubesnapError);
    assert.is(failed.code, 'ECLUSTER');
    assert.is(failed.exitCode, 1);
    assert.match(failed.message, /^the API server sent a list of configmaps that is not valid JSON/);
  } finally {
    await processor.close();
  }
});

workers('Secrets to be sealed come back from a worker as objects, not as files', async (context) => {
  const client = await clientFor(context.sim);
  const processor = new ListPageProcessor({ threads: 1 });
  try {
    const body = (await client.request('GET', '/api/v1/secrets', { query: { limit: 500 } })).body;
    assert.ok(body.length > 128 << 10, `${body.length} bytes`);
    const page = await processor.process(body, job(secrets, true), true);
    assert.is(page.files.length, 0);
    assert.is(page.toSeal.length, 500);
    assert.is(page.toSeal[0].object.kind, 'Secret');
    assert.ok(page.metadata.continue, 'a continue token for the next page');
  } finally {
    await processor.close();
    client.close();
  }
});

workers.run();
