import * as assert from 'uvu/assert';
import { join } from 'node:path';
import {
  createObject,
  deleteObject,
  discoverResources,
  mergePatchObject,
  resolveResourceSpelling,
  type ApiResource,
  type KubeClient,
} from '../../lib/kube/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { ClusterSync } from '../../lib/sync/index.ts';
import { clientFor, eventually, freshSnapshotFiles, objectFiles, testAuthor, testCluster } from '../helpers/cluster.ts';
import { git } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { simulatorSuite, type SimulatorContext } from '../helpers/simulator-suite.ts';

interface Context extends SimulatorContext {
  client: KubeClient;
  resources: ApiResource[];
  repos: number;
}

const sync = simulatorSuite<Context>('ClusterSync', { simulator: { bookmarkIntervalMs: 200 } });

sync.before(async (context) => {
  context.client = await clientFor(context.sim);
  context.resources = (await discoverResources(context.client)).resources;
  context.repos = 0;
});

sync.after(async (context) => {
  context.client?.close();
});

const resource = (context: Context, spelling: string) => resolveResourceSpelling(context.resources, spelling)[0];

async function started(
  context: Context,
  options: Partial<ConstructorParameters<typeof ClusterSync>[0]> = {},
  dir?: string,
) {
  const repository = await SnapshotRepository.open(dir ?? join(context.tmp.path, `repo-${context.repos++}`), {
    create: true,
  });
  const running = new ClusterSync({
    client: context.client,
    repository,
    author: testAuthor,
    cluster: testCluster,
    batchMs: 200,
    discoveryIntervalMs: 300,
    ...options,
  });
  try {
    await running.start();
    await running.ready;
    await eventually(
      async () => (await repository.head()) !== undefined || (await running.flush()),
      5000,
      'first commit',
    );
  } catch (error) {
    await running.stop().catch(() => undefined);
    throw error;
  }
  return { sync: running, repository };
}

async function commitCount(repository: SnapshotRepository): Promise<number> {
  return (await repository.log()).length;
}

sync('the first full sync commits the cluster as a snapshot would', async (context) => {
  const { sync: running, repository } = await started(context);
  await running.stop();
  const expected = await freshSnapshotFiles(context.sim, join(context.tmp.path, 'fresh-1'), repository.gitdir);
  assert.equal(objectFiles(await repository.readFiles()), expected);
  assert.match((await repository.log())[0].message, /^watch: \d+ created, 0 updated, 0 deleted/);
});

sync('a change is committed with who made it, field changes and a trailer', async (context) => {
  const { sync: running, repository } = await started(context);
  try {
    const before = await commitCount(repository);
    // managedFields times are whole seconds: a scale within the second the deployment was created in ties with
    // kubectl-create's entry, and a tie cannot tell who wrote last (see lastWriter).
    await new Promise((resolve) => setTimeout(resolve, 1010 - (Date.now() % 1000)));
    assert.is(
      (await kubectl(context.sim.kubeconfigPath, ['-n', 'shop', 'scale', 'deployment/web', '--replicas=5'])).code,
      0,
    );
    await eventually(async () => (await commitCount(repository)) > before, 5000, 'a commit');
    const message = (await repository.log())[0].message;
    assert.match(message, /^watch: 0 created, 1 updated, 0 deleted\n/, message);
    assert.match(
      message,
      /updated shop\/deployments\.apps\/web {2}spec\.replicas 2→5 {2}by kubectl at \d\d:\d\d:\d\dZ/,
      message,
    );
    assert.match(message, /\nKubesnap-Changed-By: kubectl\n/);
  } finally {
    await running.stop();
  }
});

sync('status-only updates and a change undone within one batch make no commit', async (context) => {
  const { sync: running, repository } = await started(context, { batchMs: 800 });
  try {
    const before = await commitCount(repository);
    const deployments = resource(context, 'deployments.apps');
    await context.client.json('PATCH', `/apis/apps/v1/namespaces/shop/deployments/web/status`, {
      body: { status: { observedGeneration: 7, replicas: 2, readyReplicas: 2 } },
      contentType: 'application/merge-patch+json',
    });
    await mergePatchObject(context.client, deployments, 'shop', 'web', { metadata: { labels: { flip: 'on' } } });
    await mergePatchObject(context.client, deployments, 'shop', 'web', { metadata: { labels: { flip: null } } });
    await new Promise((r) => setTimeout(r, 1500));
    assert.is(await commitCount(repository), before);
    assert.is(running.pendingCount, 0);
  } finally {
    await running.stop();
  }
});

sync('1,000 changes in a burst collapse into a few commits (--batch-max) and nothing is lost', async (context) => {
  const { sync: running, repository } = await started(context, { batchMs: 3_600_000, batchMax: 400 });
  try {
    const before = await commitCount(repository);
    const configmaps = resource(context, 'configmaps');
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 1000; i++) {
      writes.push(
        createObject(context.client, configmaps, {
          metadata: { name: `burst-${i}`, namespace: 'monitoring' },
          data: { n: String(i) },
        }),
      );
    }
    await Promise.all(writes);
    // Nothing else changes meanwhile: every burst object is either committed or pending.
    const seen = async () =>
      [...(await repository.readFiles()).keys()].filter((path) => path.startsWith('monitoring/configmaps/burst-'))
        .length + running.pendingCount;
    await eventually(async () => (await seen()) >= 1000, 60_000, 'every change of the burst seen').catch(
      async (error) => {
        throw new Error(`${error.message}: ${await seen()} of 1000`);
      },
    );
    await running.flush();
    const commits = (await commitCount(repository)) - before;
    assert.ok(commits >= 2 && commits <= 4, `${commits} commits for 1,000 changes with --batch-max 400`);
    const expected = await freshSnapshotFiles(context.sim, join(context.tmp.path, 'fresh-burst'), repository.gitdir);
    assert.equal(objectFiles(await repository.readFiles()), expected);
    // Batches this big have their blobs deflated on a pack-entry thread: git must read every one back.
    await git(repository.gitdir, 'fsck', '--strict');
  } finally {
    await running.stop();
  }
});

sync('dropped connections and a 410 during a burst lose nothing and duplicate nothing', async (context) => {
  const { sync: running, repository } = await started(context, { batchMs: 300 });
  try {
    const configmaps = resource(context, 'configmaps');
    for (let i = 0; i < 60; i++) {
      await createObject(context.client, configmaps, {
        metadata: { name: `faulty-${i}`, namespace: 'shop' },
        data: { n: String(i) },
      });
      if (i === 20) context.sim.faults.dropWatches();
      if (i === 40) {
        context.sim.faults.compactHistory();
        context.sim.faults.dropWatches();
      }
      if (i % 10 === 5) await deleteObject(context.client, configmaps, 'shop', `faulty-${i - 5}`);
    }
    const expected = await freshSnapshotFiles(context.sim, join(context.tmp.path, 'fresh-faults'), repository.gitdir);
    await eventually(
      async () => {
        await running.flush();
        const files = objectFiles(await repository.readFiles());
        return JSON.stringify([...files]) === JSON.stringify([...expected]);
      },
      15_000,
      'the history to catch up with the cluster',
    );
  } finally {
    await running.stop();
  }
});

sync(
  'a restart reconciles against HEAD: no duplicate history, a change made while stopped lands in the first commit',
  async (context) => {
    const dir = join(context.tmp.path, 'restart');
    const first = await started(context, {}, dir);
    await first.sync.stop();
    const commits = await commitCount(first.repository);

    const quiet = await started(context, {}, dir);
    await quiet.sync.stop();
    assert.is(await commitCount(quiet.repository), commits, 'a restart with nothing changed writes nothing');

    await mergePatchObject(context.client, resource(context, 'configmaps'), 'shop', 'web-config', {
      data: { GREETING: 'hi while stopped' },
    });
    const again = await started(context, {}, dir);
    await again.sync.stop();
    const log = await again.repository.log();
    assert.is(log.length, commits + 1);
    assert.match(log[0].message, /^watch: 0 created, 1 updated, 0 deleted\n\nupdated shop\/configmaps\/web-config/);
  },
);

sync(
  'a CRD installed while watching is followed; when its kind stops being served, its files go in a commit that says why',
  async (context) => {
    const { sync: running, repository } = await started(context, { batchMs: 200 });
    const crds = resource(context, 'customresourcedefinitions.apiextensions.k8s.io');
    const version = (served: boolean) => ({
      name: 'v1',
      served,
      storage: true,
      schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    });
    try {
      await createObject(context.client, crds, {
        metadata: { name: 'gadgets.example.org' },
        spec: {
          group: 'example.org',
          scope: 'Namespaced',
          names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
          versions: [version(true)],
        },
      });
      const gadgets = await eventually(
        async () => (await discoverResources(context.client)).resources.find((r) => r.resource === 'gadgets'),
        5000,
        'the CRD served',
      );
      await createObject(context.client, gadgets, { metadata: { name: 'g1', namespace: 'shop' }, spec: { size: 1 } });
      await eventually(
        async () => (await repository.readFiles()).has('shop/gadgets.example.org/g1.yaml'),
        8000,
        "the new kind's object committed",
      );

      await mergePatchObject(context.client, crds, undefined, 'gadgets.example.org', {
        spec: { versions: [version(false)] },
      });
      await eventually(
        async () => !(await repository.readFiles()).has('shop/gadgets.example.org/g1.yaml'),
        8000,
        "the unserved kind's object deleted",
      );
      assert.match(
        (await repository.log())[0].message,
        /deleted shop\/gadgets\.example\.org\/g1 {2}\(gadgets\.example\.org is no longer served by the API server\)/,
      );
    } finally {
      await running.stop();
      await deleteObject(context.client, crds, undefined, 'gadgets.example.org');
    }
  },
);

sync('a simulator restart that loses all state and its resourceVersions is recovered from', async (context) => {
  const { sync: running, repository } = await started(context, { batchMs: 200 });
  try {
    await context.sim.faults.restart({ keepState: false, keepRevisions: false });
    const { readFileSync, readdirSync } = await import('node:fs');
    const fixtures = new URL('../fixtures/cluster/', import.meta.url).pathname;
    for (const file of readdirSync(fixtures).sort()) context.sim.seedYaml(readFileSync(join(fixtures, file), 'utf8'));
    await createObject(context.client, resource(context, 'configmaps'), {
      metadata: { name: 'after-restart', namespace: 'shop' },
      data: { a: 'b' },
    });
    const expected = await freshSnapshotFiles(context.sim, join(context.tmp.path, 'fresh-restart'), repository.gitdir);
    await eventually(
      async () => {
        await running.flush();
        return JSON.stringify([...objectFiles(await repository.readFiles())]) === JSON.stringify([...expected]);
      },
      15_000,
      'the history to match the restarted cluster',
    );
  } finally {
    await running.stop();
  }
});

sync.run();
