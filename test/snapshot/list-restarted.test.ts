// A snapshot lists each collection page by page (limit/continue). When a continue token expires mid-list (410: the
// server compacted the history the list was read at), the list starts over: the snapshot must hold every object
// of the cluster as it is now, each once, and nothing the abandoned pages listed that is gone since.
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { KubeClient } from '../../lib/kube/index.ts';
import type { Simulator } from '../../lib/sim/index.ts';
import { takeSnapshot } from '../../lib/snapshot/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { clientFor, objectFiles, seedConfigMapNamespace, testAuthor, testCluster } from '../helpers/cluster.ts';
import { testDigestKey } from '../helpers/digest-key.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const tests = simulatorSuite('snapshot: a list whose continue token expired', { seeded: false });

// Twelve ConfigMaps (and the namespace's kube-root-ca.crt) in pages of five: three pages, cm-001 on the first.
const PAGE_SIZE = 5;
const CONFIG_MAPS = 12;
const GONE = 'cm-001';

/**
 * The client, with the first continue token of the namespace's ConfigMaps expired: before that request is sent,
 * GONE (on the first page, already read) is deleted and the server's history compacted. Counts the requests for a
 * first page, to show the list started over.
 */
function expiringFirstContinue(client: KubeClient, sim: Simulator, namespace: string) {
  const collection = `/api/v1/namespaces/${namespace}/configmaps`;
  let expired = false;
  let firstPages = 0;
  const expiring: KubeClient = Object.create(client);
  expiring.request = async (method, path, options) => {
    if (method === 'GET' && path === collection) {
      if (!options?.query?.continue) firstPages++;
      else if (!expired) {
        expired = true;
        await client.json('DELETE', `${collection}/${GONE}`);
        sim.faults.compactHistory();
      }
    }
    return client.request(method, path, options);
  };
  return { client: expiring, expired: () => expired, firstPages: () => firstPages };
}

async function snapshotNamespace(client: KubeClient, dir: string, namespace: string) {
  const repository = await SnapshotRepository.open(dir, { create: true });
  const result = await takeSnapshot({
    client,
    repository,
    pageSize: PAGE_SIZE,
    selection: { namespaces: [namespace], include: ['configmaps'] },
    author: testAuthor,
    cluster: testCluster,
    normalize: { digestKey: testDigestKey },
  });
  return { result, files: [...objectFiles(await repository.readFiles()).keys()] };
}

/** The file of every ConfigMap the namespace holds now (but kube-root-ca.crt, which the default policy skips). */
function filesOnServer(sim: Simulator, namespace: string): string[] {
  return sim
    .list('', 'configmaps', namespace)
    .filter((object) => object.metadata.name !== 'kube-root-ca.crt')
    .map((object) => `${namespace}/configmaps/${object.metadata.name}.yaml`)
    .sort();
}

tests('a first snapshot whose list started over holds every object once, and none that is gone', async (context) => {
  seedConfigMapNamespace(context.sim, 'first', CONFIG_MAPS);
  const client = await clientFor(context.sim);
  try {
    const expiring = expiringFirstContinue(client, context.sim, 'first');
    const { result, files } = await snapshotNamespace(expiring.client, join(context.tmp.path, 'first'), 'first');
    assert.ok(expiring.expired(), 'the list asked for a second page with the token that expired');
    assert.equal(files, filesOnServer(context.sim, 'first'));
    assert.not.ok(files.includes(`first/configmaps/${GONE}.yaml`), 'the abandoned first page listed it');
    assert.is(result.objects, files.length, 'each object once');
    assert.ok(result.changes.every((change) => change.type === 'created'));
    assert.is(expiring.firstPages(), 2, 'the list started over');
  } finally {
    client.close();
  }
});

tests('a snapshot whose list started over deletes only what is gone from the last one', async (context) => {
  seedConfigMapNamespace(context.sim, 'again', CONFIG_MAPS);
  const client = await clientFor(context.sim);
  try {
    const dir = join(context.tmp.path, 'again');
    const before = await snapshotNamespace(client, dir, 'again');
    assert.equal(before.files, filesOnServer(context.sim, 'again'));
    const expiring = expiringFirstContinue(client, context.sim, 'again');
    const { result, files } = await snapshotNamespace(expiring.client, dir, 'again');
    assert.ok(expiring.expired(), 'the list asked for a second page with the token that expired');
    assert.equal(
      result.changes.map((change) => [change.type, change.path]),
      [['deleted', `again/configmaps/${GONE}.yaml`]],
      'the later pages are not deleted, the gone object is',
    );
    assert.equal(files, filesOnServer(context.sim, 'again'));
    assert.is(expiring.firstPages(), 2, 'the list started over');
  } finally {
    client.close();
  }
});

tests.run();
