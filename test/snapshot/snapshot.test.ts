import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { git } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { simulatorSuite, type SimulatorContext } from '../helpers/simulator-suite.ts';

const fixtureDir = new URL('../fixtures/cluster/', import.meta.url).pathname;
const SECRET = 's3cr3t-do-not-commit';
const SECRET_B64 = 'czNjcjN0LWRvLW5vdC1jb21taXQ=';

interface Context extends SimulatorContext {
  repo: string;
  snapshot(...args: string[]): ReturnType<typeof runCli>;
}

const snapshot = simulatorSuite<Context>('snapshot', { seeded: false });

snapshot.before(async (context) => {
  context.repo = join(context.tmp.path, 'repo');
  const kubeconfig = context.sim.kubeconfigPath;
  // Objects arrive the way people make them: namespaces and the CRD created, the shop created and then
  // edited with kubectl, payments by server-side apply.
  for (const file of ['00-namespaces.yaml', '05-crd.yaml']) {
    const created = await kubectl(kubeconfig, ['create', '-f', join(fixtureDir, file)]);
    assert.is(created.code, 0, created.stderr);
  }
  const shop = await kubectl(kubeconfig, ['create', '-f', join(fixtureDir, '10-shop.yaml')]);
  assert.is(shop.code, 0, shop.stderr);
  assert.is((await kubectl(kubeconfig, ['-n', 'shop', 'scale', 'deployment/web', '--replicas=3'])).code, 0);
  assert.is(
    (
      await kubectl(kubeconfig, [
        '-n',
        'shop',
        'set',
        'image',
        'deployment/web',
        'web=registry.example.com/shop/web:v2',
      ])
    ).code,
    0,
  );
  const payments = await kubectl(kubeconfig, ['apply', '--server-side', '-f', join(fixtureDir, '20-payments.yaml')]);
  assert.is(payments.code, 0, payments.stderr);
  context.snapshot = (...args: string[]) =>
    runCli(['--kubeconfig', kubeconfig, '--repo', context.repo, 'snapshot', ...args]);
});

async function treeOf(repo: string, rev = 'HEAD'): Promise<string[]> {
  return (await git(repo, 'ls-tree', '-r', '--name-only', rev)).trim().split('\n').filter(Boolean);
}

snapshot('the first snapshot commits the expected tree into a new bare repository', async ({ snapshot: run, repo }) => {
  const result = await run();
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /snapshot: \d+ created, 0 updated, 0 deleted/);
  assert.is((await git(repo, 'rev-parse', '--is-bare-repository')).trim(), 'true');
  const files = await treeOf(repo);
  for (const expected of [
    'README.md',
    '_cluster/namespaces/shop.yaml',
    '_cluster/namespaces/payments.yaml',
    '_cluster/customresourcedefinitions.apiextensions.k8s.io/widgets.example.com.yaml',
    '_cluster/clusterroles.rbac.authorization.k8s.io/snapshot-reader.yaml',
    '_cluster/persistentvolumes/local-pv-1.yaml',
    'shop/deployments.apps/web.yaml',
    'shop/configmaps/web-config.yaml',
    'shop/services/web.yaml',
    'shop/services/web-nodeport.yaml',
    'shop/services/web-headless.yaml',
    'shop/secrets/web-credentials.yaml',
    'shop/serviceaccounts/web.yaml',
    'shop/roles.rbac.authorization.k8s.io/config-reader.yaml',
    'shop/rolebindings.rbac.authorization.k8s.io/web-config-reader.yaml',
    'shop/widgets.example.com/blue.yaml',
    'payments/deployments.apps/api.yaml',
    'payments/persistentvolumeclaims/uploads.yaml',
    'payments/cronjobs.batch/nightly-report.yaml',
    'payments/configmaps/grafana-dashboards.yaml',
  ])
    assert.ok(files.includes(expected), `missing ${expected}`);
  for (const skipped of [
    'shop/configmaps/kube-root-ca.crt.yaml',
    'payments/secrets/sh.helm.release.v1.dashboards.v1.yaml',
  ]) {
    assert.not.ok(files.includes(skipped), `should be skipped: ${skipped}`);
  }
  assert.not.ok(
    files.some((f) =>
      /\/(events|leases\.coordination\.k8s\.io|endpoints|endpointslices\.discovery\.k8s\.io)\//.test(f),
    ),
    'runtime kinds are skipped',
  );
  assert.not.ok(
    files.some((f) => f.startsWith('_cluster/nodes/')),
    'nodes are skipped',
  );
});

snapshot("files are clean, ordered YAML with the user's edits and no runtime fields", async ({ repo }) => {
  const web = await git(repo, 'show', 'HEAD:shop/deployments.apps/web.yaml');
  assert.match(web, /^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n/);
  assert.match(web, /replicas: 3/);
  assert.match(web, /image: registry.example.com\/shop\/web:v2/);
  for (const runtime of [
    'resourceVersion',
    'uid:',
    'creationTimestamp',
    'managedFields',
    'status:',
    'generation',
    'terminationMessagePath',
    'dnsPolicy',
  ]) {
    assert.not.ok(web.includes(runtime), `web.yaml still has ${runtime}`);
  }
  const service = await git(repo, 'show', 'HEAD:shop/services/web.yaml');
  assert.not.match(service, /clusterIP/);
  const headless = await git(repo, 'show', 'HEAD:shop/services/web-headless.yaml');
  assert.match(headless, /clusterIP: None/);
  const nodeport = await git(repo, 'show', 'HEAD:shop/services/web-nodeport.yaml');
  assert.not.match(nodeport, /nodePort:/);
  const namespace = await git(repo, 'show', 'HEAD:_cluster/namespaces/shop.yaml');
  assert.not.match(namespace, /kubernetes\.io\/metadata\.name/);
  assert.match(namespace, /team: storefront/);
});

snapshot('real git reads the result: log, show and fsck --strict are clean', async ({ repo }) => {
  const log = await git(repo, 'log', '--format=%an <%ae>%n%s%n%b');
  assert.match(log, /^kubesnap <kubesnap@localhost>\nsnapshot: \d+ created, 0 updated, 0 deleted/);
  assert.match(log, /shop:\n  created  shop\/configmaps\/web-config.yaml/);
  await git(repo, 'fsck', '--strict', '--no-dangling');
  const readme = await git(repo, 'show', 'HEAD:README.md');
  assert.match(readme, new RegExp(`https://127\\.0\\.0\\.1:\\d+`));
  assert.match(readme, /kubesnap restore/);
});

snapshot('an unchanged second run makes no commit', async ({ snapshot: run, repo }) => {
  const before = (await git(repo, 'rev-parse', 'HEAD')).trim();
  const result = await run();
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /no commit, nothing changed/);
  assert.is((await git(repo, 'rev-parse', 'HEAD')).trim(), before);
});

snapshot(
  'files are byte-stable: a snapshot into a second repository gives the same blobs',
  async ({ sim, repo, tmp }) => {
    const other = join(tmp.path, 'other');
    // Under the first repository's digest key: each repository has its own, and Secret digests depend on it.
    const result = await runCli([
      '--kubeconfig',
      sim.kubeconfigPath,
      '--repo',
      other,
      'snapshot',
      '--digest-key-file',
      join(repo, 'kubesnap-digest-key'),
    ]);
    assert.is(result.code, 0, result.stderr);
    const blobs = async (dir: string) =>
      (await git(dir, 'ls-tree', '-r', 'HEAD'))
        .split('\n')
        .filter((l) => !l.endsWith('README.md'))
        .join('\n');
    assert.is(await blobs(other), await blobs(repo));
  },
);

snapshot('changes and deletions become one commit with counts', async ({ sim, snapshot: run, repo }) => {
  assert.is((await kubectl(sim.kubeconfigPath, ['-n', 'shop', 'delete', 'configmap', 'web-config'])).code, 0);
  assert.is(
    (await kubectl(sim.kubeconfigPath, ['-n', 'payments', 'label', 'deployment', 'api', 'release=stable'])).code,
    0,
  );
  const result = await run();
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /snapshot: 0 created, 1 updated, 1 deleted/);
  const files = await treeOf(repo);
  assert.not.ok(files.includes('shop/configmaps/web-config.yaml'));
  assert.match(await git(repo, 'show', 'HEAD:payments/deployments.apps/api.yaml'), /release: stable/);
  assert.match(await git(repo, 'log', '-1', '--format=%s'), /^snapshot: 0 created, 1 updated, 1 deleted/);
});

snapshot(
  'the Secret value appears nowhere: not in any object, commit, log line or output',
  async ({ sim, repo, tmp }) => {
    const secretFile = await git(repo, 'show', 'HEAD:shop/secrets/web-credentials.yaml');
    assert.match(secretFile, /password: hmac-sha256:[0-9a-f]{64}/);
    const everything = await git(repo, 'log', '--all', '-p', '--format=%B');
    assert.not.ok(everything.includes(SECRET) || everything.includes(SECRET_B64));
    const json = await runCli([
      '--kubeconfig',
      sim.kubeconfigPath,
      '--repo',
      join(tmp.path, 'json'),
      '-v',
      'snapshot',
      '-o',
      'json',
      '--explain',
    ]);
    for (const text of [json.stdout, json.stderr]) assert.not.ok(text.includes(SECRET) || text.includes(SECRET_B64));
  },
);

snapshot('-o json reports changes, skips and unreadable kinds for machines', async ({ sim, tmp }) => {
  const result = await runCli([
    '--kubeconfig',
    sim.kubeconfigPath,
    '--repo',
    join(tmp.path, 'json2'),
    'snapshot',
    '-o',
    'json',
  ]);
  assert.is(result.code, 0, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.type(report.commit, 'string');
  assert.ok(report.objects > 10);
  assert.ok(report.changes.every((c: any) => c.type === 'created'));
  assert.ok(report.skippedObjects['root-ca-configmaps'] >= 3, 'one kube-root-ca.crt per namespace');
  assert.ok(report.skippedObjects['helm-releases'] >= 1);
  assert.ok(report.skippedKinds.events.length >= 1);
});

snapshot('--explain lists what was skipped per reason with counts', async ({ sim, tmp }) => {
  const result = await runCli([
    '--kubeconfig',
    sim.kubeconfigPath,
    '--repo',
    join(tmp.path, 'explain'),
    'snapshot',
    '--explain',
  ]);
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /skipped root-ca-configmaps: \d+ objects/);
  assert.match(result.stdout, /skipped helm-releases: 1 object —/);
  assert.match(result.stdout, /skipped events: 2 kinds/);
});

snapshot.run();
