// The real kubectl against the simulator: the commands people (and later tests) rely on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { load } from 'js-yaml';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { kubectl, kubectlOk, spawnKubectl } from '../helpers/kubectl.ts';

let sim: Simulator;
let kc: string;

const MANIFESTS = `
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
  namespace: shop
  labels: {tier: frontend}
data:
  greeting: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports:
        - containerPort: 80
`;

test.before(async () => {
  sim = await startSimulator();
  kc = sim.kubeconfigPath;
});

test.after(async () => {
  await sim.stop();
});

test('kubectl create -f with validation, then get prints a table', async () => {
  const out = await kubectlOk(kc, ['create', '-f', '-'], MANIFESTS);
  assert.match(out, 'namespace/shop created');
  assert.match(out, 'configmap/web-config created');
  assert.match(out, 'deployment.apps/web created');
  const table = await kubectlOk(kc, ['-n', 'shop', 'get', 'deployments']);
  assert.match(table, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n/);
  assert.match(table, /\nweb\s+0\/2\s+0\s+0\s+\d+s\n/);
  const namespaces = await kubectlOk(kc, ['get', 'namespaces']);
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'shop'])
    assert.match(namespaces, new RegExp(`\\n${ns}\\s+Active`));
});

test('kubectl get -o yaml shows server-set fields and defaults; create twice is AlreadyExists', async () => {
  const object = load(
    await kubectlOk(kc, ['-n', 'shop', 'get', 'deploy', 'web', '-o', 'yaml', '--show-managed-fields']),
  ) as any;
  assert.is(object.apiVersion, 'apps/v1');
  assert.is(object.kind, 'Deployment');
  assert.is(object.metadata.generation, 1);
  assert.match(object.metadata.uid, /^[0-9a-f-]{36}$/);
  assert.is(object.metadata.managedFields[0].manager, 'kubectl-create');
  assert.is(object.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  const again = await kubectl(kc, ['create', '-f', '-'], MANIFESTS);
  assert.is.not(again.code, 0);
  assert.match(again.stderr, /AlreadyExists|already exists/);
});

test('the default ServiceAccount and kube-root-ca.crt appear in a new namespace', async () => {
  assert.match(await kubectlOk(kc, ['-n', 'shop', 'get', 'serviceaccounts']), /\ndefault\s/);
  assert.match(await kubectlOk(kc, ['-n', 'shop', 'get', 'configmaps']), /\nkube-root-ca\.crt\s+1\s/);
});

test('kubectl create namespace / configmap / secret (protobuf bodies)', async () => {
  await kubectlOk(kc, ['create', 'namespace', 'payments']);
  await kubectlOk(kc, ['-n', 'payments', 'create', 'configmap', 'settings', '--from-literal=mode=live']);
  await kubectlOk(kc, [
    '-n',
    'payments',
    'create',
    'secret',
    'generic',
    'creds',
    '--from-literal=password=s3cr3t-do-not-commit',
  ]);
  assert.equal(sim.get('', 'configmaps', 'payments', 'settings')?.data, { mode: 'live' });
  assert.is(
    (sim.get('', 'secrets', 'payments', 'creds')?.data as any).password,
    Buffer.from('s3cr3t-do-not-commit').toString('base64'),
  );
});

test('kubectl auth can-i and whoami: the simulator user is a cluster admin', async () => {
  assert.is((await kubectlOk(kc, ['auth', 'can-i', 'delete', 'secrets', '-A'])).trim(), 'yes');
  assert.match(await kubectlOk(kc, ['auth', 'whoami']), /Username\s+kubesnap-sim-admin/);
});

test('kubectl apply (client-side) then apply again is unchanged', async () => {
  const manifest = MANIFESTS.replace('greeting: hello', 'greeting: hi');
  const first = await kubectlOk(kc, ['apply', '-f', '-'], manifest);
  assert.match(first, 'configmap/web-config configured');
  assert.is(
    (sim.get('', 'configmaps', 'shop', 'web-config')?.data as Record<string, string> | undefined)?.greeting,
    'hi',
  );
  const second = await kubectlOk(kc, ['apply', '-f', '-'], manifest);
  assert.match(second, 'configmap/web-config unchanged');
  assert.match(second, 'deployment.apps/web unchanged');
});

test('kubectl apply --server-side records an Apply manager; a conflicting apply needs --force-conflicts', async () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: shop\ndata:\n  k: v1\n';
  assert.match(await kubectlOk(kc, ['apply', '--server-side', '-f', '-'], cm), 'configmap/ssa serverside-applied');
  const stored = sim.get('', 'configmaps', 'shop', 'ssa')!;
  const entry = stored.metadata.managedFields!.find((m) => m.manager === 'kubectl')!;
  assert.is(entry.operation, 'Apply');
  const conflicting = await kubectl(
    kc,
    ['apply', '--server-side', '--field-manager', 'other', '-f', '-'],
    cm.replace('k: v1', 'k: v2'),
  );
  assert.is.not(conflicting.code, 0);
  assert.match(conflicting.stderr, /conflict/i);
  await kubectlOk(
    kc,
    ['apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', '-'],
    cm.replace('k: v1', 'k: v2'),
  );
  assert.is((sim.get('', 'configmaps', 'shop', 'ssa')?.data as Record<string, string> | undefined)?.k, 'v2');
});

test('kubectl replace, label and scale', async () => {
  const yaml = await kubectlOk(kc, ['-n', 'shop', 'get', 'configmap', 'web-config', '-o', 'yaml']);
  await kubectlOk(kc, ['replace', '-f', '-'], yaml.replace(/greeting: hi/, 'greeting: replaced'));
  assert.is(
    (sim.get('', 'configmaps', 'shop', 'web-config')?.data as Record<string, string> | undefined)?.greeting,
    'replaced',
  );
  const stale = await kubectl(kc, ['replace', '-f', '-'], yaml);
  assert.is.not(stale.code, 0);
  assert.match(stale.stderr, /the object has been modified/);

  await kubectlOk(kc, ['-n', 'shop', 'label', 'configmap', 'web-config', 'stage=two']);
  const labelled = sim.get('', 'configmaps', 'shop', 'web-config')!;
  assert.is(labelled.metadata.labels?.stage, 'two');
  assert.ok(labelled.metadata.managedFields!.some((m) => m.manager === 'kubectl-label'));

  await kubectlOk(kc, ['-n', 'shop', 'scale', 'deployment', 'web', '--replicas=5']);
  const scaled = sim.get('apps', 'deployments', 'shop', 'web')!;
  assert.is((scaled.spec as any).replicas, 5);
  assert.is(scaled.metadata.generation, 2);
  assert.ok(scaled.metadata.managedFields!.some((m) => m.subresource === 'scale'));
});

test('kubectl get with selectors and --chunk-size pages through everything', async () => {
  for (let i = 0; i < 5; i++)
    await kubectlOk(kc, ['-n', 'shop', 'create', 'configmap', `page-${i}`, `--from-literal=i=${i}`]);
  const all = await kubectlOk(kc, ['-n', 'shop', 'get', 'configmaps', '--chunk-size=2', '-o', 'name']);
  const names = all.trim().split('\n');
  assert.is(names.length, sim.list('', 'configmaps', 'shop').length);
  assert.ok(names.includes('configmap/page-4'));
  const chunkedTable = await kubectlOk(kc, ['-n', 'shop', 'get', 'configmaps', '--chunk-size=2']);
  assert.is(chunkedTable.trim().split('\n').length, names.length + 1);
  const selected = await kubectlOk(kc, [
    '-n',
    'shop',
    'get',
    'configmaps',
    '-l',
    'tier=frontend,stage in (two)',
    '-o',
    'name',
  ]);
  assert.is(selected.trim(), 'configmap/web-config');
  const byField = await kubectlOk(kc, [
    'get',
    'configmaps',
    '-A',
    '--field-selector',
    'metadata.name=page-3',
    '-o',
    'name',
  ]);
  assert.is(byField.trim(), 'configmap/page-3');
});

test('kubectl get --watch-only prints changes as they happen', async () => {
  const watcher = spawnKubectl(kc, ['-n', 'shop', 'get', 'configmaps', '--watch-only']);
  try {
    await new Promise((r) => setTimeout(r, 700));
    await kubectlOk(kc, ['-n', 'shop', 'create', 'configmap', 'watched', '--from-literal=a=1']);
    const line = await watcher.waitForLine((l) => l.startsWith('watched'));
    assert.match(line, /^watched\s+1\s+\d+s$/);
  } finally {
    await watcher.stop();
  }
});

test('kubectl delete removes objects; deleting a namespace removes everything in it', async () => {
  assert.match(await kubectlOk(kc, ['-n', 'shop', 'delete', 'configmap', 'page-0']), 'configmap "page-0" deleted');
  assert.is(sim.get('', 'configmaps', 'shop', 'page-0'), undefined);
  const missing = await kubectl(kc, ['-n', 'shop', 'delete', 'configmap', 'page-0']);
  assert.match(missing.stderr, /NotFound|not found/);
  await kubectlOk(kc, ['delete', 'namespace', 'shop']);
  assert.is(sim.get('', 'namespaces', undefined, 'shop'), undefined);
  assert.equal(sim.list('', 'configmaps', 'shop'), []);
  assert.equal(sim.list('apps', 'deployments', 'shop'), []);
});

test('a CRD made with kubectl is served: create a custom resource, get it by short name, delete the CRD', async () => {
  const crd = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`;
  await kubectlOk(kc, ['apply', '-f', '-'], crd);
  await kubectlOk(kc, ['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s']);
  await kubectlOk(
    kc,
    ['apply', '-f', '-'],
    'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: blue\n  namespace: payments\nspec:\n  size: 3\n',
  );
  assert.match(await kubectlOk(kc, ['-n', 'payments', 'get', 'wd']), /\nblue\s+\d+s\n/);
  await kubectlOk(kc, ['-n', 'payments', 'patch', 'widget', 'blue', '--type=merge', '-p', '{"spec":{"size":4}}']);
  assert.is((sim.get('example.com', 'widgets', 'payments', 'blue')?.spec as any).size, 4);
  await kubectlOk(kc, ['delete', 'crd', 'widgets.example.com']);
  const gone = await kubectl(kc, ['-n', 'payments', 'get', 'widgets']);
  assert.is.not(gone.code, 0);
  // With discovery cached, kubectl asks anyway and gets the 404; without, it knows there is no such type.
  assert.match(
    gone.stderr,
    /the server doesn't have a resource type "widgets"|the server could not find the requested resource/,
  );
  assert.equal(sim.list('example.com', 'widgets'), []);
});

test.run();
