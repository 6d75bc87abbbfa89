// A snapshot repository anyone can push to: what a restore, a diff or a show does with files that
// lie about what they hold, or that cost more to read than their size. Through the real CLI.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CliResult } from '../helpers/cli.ts';
import { startRestoreCluster, type RestoreCluster } from './restore-setup.ts';

interface Context {
  cluster: RestoreCluster;
  kubesnap(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** HEAD before the hostile commit, to go back to. */
  clean: string;
}

const hostile = suite<Context>('a hostile snapshot repository');

const escape = [
  'apiVersion: rbac.authorization.k8s.io/v1',
  'kind: ClusterRole',
  'metadata:',
  '  name: escape',
  'rules:',
  '- apiGroups: ["*"]',
  '  resources: ["*"]',
  '  verbs: ["*"]',
  '',
].join('\n');

/** The same name as the fixture's ClusterRole, granting everything: an update of a cluster-wide object from shop/. */
const widened = escape.replace('name: escape', 'name: snapshot-reader');

/** 1.1 KB: nine levels of nine aliases each, 9^9 strings once expanded. */
function aliasBomb(): string {
  const levels = 'abcdefghi'.split('');
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: bomb', '  namespace: shop', 'data:'];
  lines.push(
    `  a: &a [${Array(9)
      .fill(`"${'lol'.repeat(24)}"`)
      .join(', ')}]`,
  );
  for (let i = 1; i < levels.length; i++)
    lines.push(
      `  ${levels[i]}: &${levels[i]} [${Array(9)
        .fill(`*${levels[i - 1]}`)
        .join(', ')}]`,
    );
  return lines.join('\n') + '\n';
}

let minute = 0;
async function commit(
  cluster: RestoreCluster,
  files: Array<{ path: string; content: string | null }>,
  message: string,
): Promise<void> {
  minute++;
  await cluster.repository.commitChanges(files, {
    message,
    author: {
      name: 'mallory',
      email: 'mallory@localhost',
      timestamp: Date.parse('2026-11-20T12:00:00Z') / 1000 + minute * 60,
    },
  });
}

hostile.before(async (context) => {
  context.cluster = await startRestoreCluster();
  context.clean = (await context.cluster.snapshot())!;
  // Bounded heap: a file that expanded in memory would end the process instead of passing slowly.
  context.kubesnap = (args, env) =>
    context.cluster.kubesnap(args, {
      env: { NODE_OPTIONS: '--max-old-space-size=192', ...env },
      timeoutMs: 30_000,
    });
});

hostile.after(async ({ cluster }) => {
  await cluster?.stop();
});

hostile(
  'a ClusterRole committed under shop/ is never created or updated by restore -n shop, nor with --namespace-map',
  async ({ cluster, kubesnap }) => {
    await commit(
      cluster,
      [
        { path: 'shop/clusterroles.rbac.authorization.k8s.io/escape.yaml', content: escape },
        { path: 'shop/clusterroles.rbac.authorization.k8s.io/snapshot-reader.yaml', content: widened },
      ],
      'add a ClusterRole to shop',
    );
    const before = cluster.sim.get('rbac.authorization.k8s.io', 'clusterroles', undefined, 'snapshot-reader');

    const restore = await kubesnap(['restore', '-n', 'shop', '--yes']);
    assert.is(restore.code, 1, restore.stderr);
    assert.match(
      restore.stdout,
      /✗ ClusterRole\/escape \(shop\/clusterroles\.rbac\.authorization\.k8s\.io\/escape\.yaml\): its manifest is a ClusterRole, which is cluster-scoped, but its path puts it in namespace "shop"\./,
    );
    assert.match(
      restore.stderr,
      /error: ClusterRole\/escape \(shop\/clusterroles\.rbac\.authorization\.k8s\.io\/escape\.yaml\): its manifest is a ClusterRole, which is cluster-scoped/,
    );
    assert.match(
      restore.stderr,
      /error: ClusterRole\/snapshot-reader \(shop\/clusterroles\.rbac\.authorization\.k8s\.io\/snapshot-reader\.yaml\): /,
    );
    assert.not.ok(cluster.sim.get('rbac.authorization.k8s.io', 'clusterroles', undefined, 'escape'));
    assert.equal(cluster.sim.get('rbac.authorization.k8s.io', 'clusterroles', undefined, 'snapshot-reader'), before);

    const drill = await kubesnap(['restore', '--namespace-map', 'shop=shop-drill', '--yes']);
    assert.is(drill.code, 1, drill.stderr);
    assert.match(
      drill.stderr,
      /error: ClusterRole\/escape \(shop\/clusterroles\.rbac\.authorization\.k8s\.io\/escape\.yaml\): its manifest is a ClusterRole, which is cluster-scoped/,
    );
    assert.ok(cluster.sim.get('apps', 'deployments', 'shop-drill', 'web'), 'the drill itself ran');
    assert.not.ok(cluster.sim.get('rbac.authorization.k8s.io', 'clusterroles', undefined, 'escape'));
    assert.equal(cluster.sim.get('rbac.authorization.k8s.io', 'clusterroles', undefined, 'snapshot-reader'), before);
    await commit(
      cluster,
      [
        { path: 'shop/clusterroles.rbac.authorization.k8s.io/escape.yaml', content: null },
        { path: 'shop/clusterroles.rbac.authorization.k8s.io/snapshot-reader.yaml', content: null },
      ],
      'gone again',
    );
  },
);

hostile(
  '-n and --namespace-map leave cluster-scoped objects out unless asked for; the plan lists them under their own heading',
  async ({ cluster, kubesnap, clean }) => {
    await cluster.kubectl('delete', 'clusterrole', 'snapshot-reader');
    await cluster.kubectl('-n', 'payments', 'scale', 'deployment/api', '--replicas=1');
    for (const args of [
      ['-n', 'shop'],
      ['--namespace-map', 'shop=shop-drill'],
    ]) {
      // The drill's redacted Secret cannot be created in shop-drill, so that plan exits 1: only the listing is checked.
      const narrow = await kubesnap(['restore', clean, ...args, '--dry-run']);
      assert.is(narrow.stderr, '');
      assert.not.ok(narrow.stdout.includes('ClusterRole/snapshot-reader'), narrow.stdout);
      assert.not.ok(narrow.stdout.includes('Cluster-scoped objects'), narrow.stdout);
      assert.not.ok(
        narrow.stdout.includes('payments'),
        'a drill restores the namespaces it maps, not the rest in place',
      );
    }
    for (const args of [['-n', 'shop', '--include-cluster-scoped'], ['--namespace-map', 'shop=shop-drill', '-A'], []]) {
      const wide = await kubesnap(['restore', clean, ...args, '--dry-run']);
      assert.is(wide.stderr, '');
      assert.match(
        wide.stdout,
        /\nCluster-scoped objects \(shared by every namespace\):\n(  .*\n)*  \+ create ClusterRole\/snapshot-reader\n/,
        args.join(' '),
      );
      assert.is(wide.stdout.includes('~ update Deployment/payments/api'), args[0] !== '-n', args.join(' '));
    }
    await kubesnap(['restore', clean, '--include', 'clusterroles', '--yes']);
    assert.ok(cluster.sim.get('rbac.authorization.k8s.io', 'clusterroles', undefined, 'snapshot-reader'));
  },
);

hostile(
  'a ConfigMap committed under _cluster/ is a named error, not a create that fails at the server; every dry run exits as the restore',
  async ({ cluster, kubesnap }) => {
    await commit(
      cluster,
      [
        {
          path: '_cluster/configmaps/stray.yaml',
          content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stray\ndata:\n  a: b\n',
        },
      ],
      'a ConfigMap outside any namespace',
    );
    const sentence =
      /ConfigMap\/stray \(_cluster\/configmaps\/stray\.yaml\): its manifest is a ConfigMap, which lives in a namespace, but its path puts it in the cluster scope \(_cluster\/\)\./;
    const plan = await kubesnap(['restore', '--include', 'configmaps', '--dry-run']);
    assert.is(plan.code, 1, plan.stderr);
    assert.match(plan.stdout, new RegExp(`  ✗ ${sentence.source}`));
    assert.not.ok(/create +ConfigMap\/stray/.test(plan.stdout), plan.stdout);
    assert.match(
      plan.stdout,
      /Dry run: nothing was sent to the cluster; 1 objects cannot be restored \(marked ! and ✗ above\)\.\n$/,
    );
    const server = await kubesnap(['restore', '--include', 'configmaps', '--dry-run=server']);
    assert.is(server.code, 1, server.stderr);
    assert.match(server.stderr, new RegExp(`error: ${sentence.source}`));
    assert.not.ok(server.stderr.includes('could not find the requested resource'), server.stderr);
    const real = await kubesnap(['restore', '--include', 'configmaps', '--yes']);
    assert.is(real.code, 1, real.stderr);
    assert.match(real.stderr, new RegExp(`error: ${sentence.source}`));
    await commit(cluster, [{ path: '_cluster/configmaps/stray.yaml', content: null }], 'gone again');
  },
);

hostile(
  'a 1.1 KB alias bomb is refused within a small heap: restore names the file (exit 1), diff and show refuse it in one sentence (exit 2)',
  async ({ cluster, kubesnap }) => {
    const bomb = aliasBomb();
    assert.ok(bomb.length > 1000 && bomb.length < 1200, `${bomb.length} bytes`);
    await commit(cluster, [{ path: 'shop/configmaps/bomb.yaml', content: bomb }], 'a small ConfigMap');
    const sentence =
      'its manifest uses a YAML alias (line 8), which kubesnap never writes: refused, as an alias can expand to gigabytes.';

    const restore = await kubesnap(['restore', '-n', 'shop', '--include', 'configmaps', '--yes']);
    assert.is(restore.code, 1, restore.stderr);
    assert.ok(
      restore.stderr.includes(`error: ConfigMap/shop/bomb (shop/configmaps/bomb.yaml): ${sentence}\n`),
      restore.stderr,
    );

    const diff = await kubesnap(['diff', 'HEAD~1', 'HEAD']);
    assert.is(diff.code, 2, diff.stderr);
    assert.is(
      diff.stderr,
      'error: The manifest shop/configmaps/bomb.yaml uses a YAML alias (line 8), which kubesnap never writes: refused, as an alias can expand to gigabytes.\n',
    );
    const live = await kubesnap(['diff', '--live', '-n', 'shop']);
    assert.is(live.code, 2, live.stderr);
    assert.match(live.stderr, /^error: The manifest shop\/configmaps\/bomb\.yaml uses a YAML alias/);
    const show = await kubesnap(['show', 'HEAD:shop/configmaps/bomb.yaml']);
    assert.is(show.code, 2, show.stderr);
    assert.match(show.stderr, /^error: The manifest shop\/configmaps\/bomb\.yaml uses a YAML alias/);
  },
);

hostile('diff and show name a file whose manifest is not the object its path says', async ({ cluster, kubesnap }) => {
  await commit(
    cluster,
    [{ path: 'shop/clusterroles.rbac.authorization.k8s.io/escape.yaml', content: escape }],
    'again',
  );
  const diff = await kubesnap(['diff', 'HEAD~1', 'HEAD']);
  assert.is(diff.code, 2, diff.stderr);
  assert.is(
    diff.stderr,
    'error: The manifest shop/clusterroles.rbac.authorization.k8s.io/escape.yaml does not hold what its path says: its manifest is a ClusterRole, which is cluster-scoped, but its path puts it in namespace "shop".\n',
  );
  const show = await kubesnap(['show', 'HEAD:shop/clusterroles.rbac.authorization.k8s.io/escape.yaml']);
  assert.is(show.code, 2, show.stderr);
  assert.match(
    show.stderr,
    /^error: The manifest shop\/clusterroles\.rbac\.authorization\.k8s\.io\/escape\.yaml does not hold what its path says: /,
  );
});

hostile('a filter that matches nothing in the revision exits 2, naming the filter', async ({ kubesnap, clean }) => {
  const cases: Array<[string[], string]> = [
    [['-n', 'nosuchns'], '-n nosuchns'],
    [['--path', 'nosuch/**'], "--path 'nosuch/**'"],
    [['--include', 'hpa'], '--include hpa'],
    [['--namespace-map', 'shpo=shop-drill'], '--namespace-map shpo=shop-drill'],
  ];
  for (const [args, named] of cases) {
    const result = await kubesnap(['restore', clean, ...args, '--dry-run']);
    assert.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.is(
      result.stderr,
      `error: ${named} matches nothing in ${clean} (${clean.slice(0, 7)}), so there is nothing to restore.\n`,
    );
    assert.is(result.stdout, '');
  }
  const together = await kubesnap(['restore', clean, '-n', 'payments', '--include', 'roles', '--dry-run']);
  assert.is(together.code, 2, together.stderr);
  assert.match(
    together.stderr,
    /^error: The filters given select nothing in .* together, so there is nothing to restore\.\n$/,
  );
});

hostile.run();
