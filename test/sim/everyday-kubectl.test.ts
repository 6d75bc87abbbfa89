// `kubesnap sim` with the kubectl commands people know (issue 18): typed `kubectl create` generators post
// protobuf, a namespace holding a claim can be deleted, the server's defaults apply, and `kubectl explain` works.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kubectl, kubectlOk } from '../helpers/kubectl.ts';
import { startSimCli, type RunningSim } from './running-sim.ts';

const dir = mkdtempSync(join(tmpdir(), 'kubesnap-sim-everyday-'));
const kc = join(dir, 'kubeconfig');
let sim: RunningSim;

test.before(async () => {
  sim = await startSimCli(kc);
  await kubectlOk(kc, ['create', 'namespace', 'payments']);
});

test.after(async () => {
  await sim?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function getJson(args: string[]): Promise<any> {
  return JSON.parse(await kubectlOk(kc, ['-n', 'payments', 'get', ...args, '-o', 'json']));
}

test('kubectl create deployment (protobuf): the template as sent, the server defaults, replicas 0 kept', async () => {
  assert.match(
    await kubectlOk(kc, ['-n', 'payments', 'create', 'deployment', 'web', '--image=nginx:1.27', '--port=80']),
    'deployment.apps/web created',
  );
  const web = await getJson(['deployment', 'web']);
  assert.is(web.spec.replicas, 1);
  assert.equal(web.spec.selector, { matchLabels: { app: 'web' } });
  assert.equal(web.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
  const [container] = web.spec.template.spec.containers;
  assert.equal(container, {
    name: 'nginx',
    image: 'nginx:1.27',
    ports: [{ containerPort: 80, protocol: 'TCP' }],
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: 'IfNotPresent',
  });
  await kubectlOk(kc, ['-n', 'payments', 'create', 'deployment', 'idle', '--image=nginx', '--replicas=0']);
  assert.is((await getJson(['deployment', 'idle'])).spec.replicas, 0);
});

test('kubectl create service clusterip (protobuf): ports with an int-or-string target, a cluster IP', async () => {
  await kubectlOk(kc, ['-n', 'payments', 'create', 'service', 'clusterip', 'web', '--tcp=80:8080']);
  const svc = await getJson(['service', 'web']);
  assert.is(svc.spec.type, 'ClusterIP');
  assert.equal(svc.spec.ports, [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
  assert.equal(svc.spec.selector, { app: 'web' });
  assert.match(svc.spec.clusterIP, /^\d+\.\d+\.\d+\.\d+$/);
});

test('kubectl create ingress (protobuf): the rule value Go inlines is part of the rule, as in JSON', async () => {
  await kubectlOk(kc, ['-n', 'payments', 'create', 'ingress', 'web', '--rule=shop.example.com/api*=web:80']);
  const ingress = await getJson(['ingress', 'web']);
  assert.equal(ingress.spec.rules, [
    {
      host: 'shop.example.com',
      http: {
        paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }],
      },
    },
  ]);
});

test('kubectl create serviceaccount and role (protobuf)', async () => {
  await kubectlOk(kc, ['-n', 'payments', 'create', 'serviceaccount', 'bot']);
  assert.is((await getJson(['serviceaccount', 'bot'])).metadata.name, 'bot');
  await kubectlOk(kc, [
    '-n',
    'payments',
    'create',
    'role',
    'reader',
    '--verb=get,list',
    '--resource=pods,deployments.apps',
  ]);
  const role = await getJson(['role', 'reader']);
  assert.equal(role.rules, [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
  ]);
});

test('kubectl create cronjob (protobuf): schedule, command and the CronJob defaults', async () => {
  await kubectlOk(kc, [
    '-n',
    'payments',
    'create',
    'cronjob',
    'nightly',
    '--image=busybox',
    '--schedule=0 3 * * *',
    '--',
    'date',
  ]);
  const cronjob = await getJson(['cronjob', 'nightly']);
  assert.is(cronjob.spec.schedule, '0 3 * * *');
  assert.is(cronjob.spec.concurrencyPolicy, 'Allow');
  assert.is(cronjob.spec.suspend, false);
  const pod = cronjob.spec.jobTemplate.spec.template.spec;
  assert.equal(pod.containers[0].command, ['date']);
  assert.is(pod.restartPolicy, 'OnFailure');
});

test('kubectl create job --from=cronjob (protobuf): the generated selector and labels of the Job, as a real server has them', async () => {
  await kubectlOk(kc, ['-n', 'payments', 'create', 'job', 'by-hand', '--from=cronjob/nightly']);
  const job = await getJson(['job', 'by-hand']);
  const uid = job.metadata.uid;
  const labels = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': 'by-hand',
    'controller-uid': uid,
    'job-name': 'by-hand',
  };
  assert.equal(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
  assert.equal(job.spec.template.metadata.labels, labels);
  assert.equal(job.metadata.labels, labels);
  assert.is(job.metadata.ownerReferences[0].name, 'nightly');
});

test('kubectl create secret generic stores type Opaque, from protobuf and from JSON with type ""', async () => {
  await kubectlOk(kc, ['-n', 'payments', 'create', 'secret', 'generic', 'creds', '--from-literal=user=admin']);
  const creds = await getJson(['secret', 'creds']);
  assert.is(creds.type, 'Opaque');
  assert.equal(creds.data, { user: Buffer.from('admin').toString('base64') });
  const manifest = JSON.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'empty-type', namespace: 'payments' },
    type: '',
  });
  await kubectlOk(kc, ['create', '-f', '-'], manifest);
  assert.is((await getJson(['secret', 'empty-type'])).type, 'Opaque');
});

test('kubectl delete ns finishes with a claim a pod used and a bound volume; the volume can be deleted after', async () => {
  await kubectlOk(kc, ['create', 'namespace', 'uploads']);
  const manifests = [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'uploads-pv' },
      spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/srv/uploads' } },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'uploads' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'writer', namespace: 'uploads' },
      spec: {
        containers: [{ name: 'c', image: 'busybox' }],
        volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }],
      },
    },
  ];
  await kubectlOk(kc, ['create', '-f', '-'], manifests.map((m) => dump(m)).join('---\n'));
  // Bound as the volume binder would: the volume keeps pv-protection while its claim exists.
  await kubectlOk(kc, [
    'patch',
    'pv',
    'uploads-pv',
    '--type=merge',
    '-p',
    JSON.stringify({ spec: { claimRef: { namespace: 'uploads', name: 'data' } } }),
  ]);
  await kubectlOk(kc, [
    'patch',
    'pv',
    'uploads-pv',
    '--subresource=status',
    '--type=merge',
    '-p',
    '{"status":{"phase":"Bound"}}',
  ]);
  const claim = await getJson(['pvc', 'data', '-n', 'uploads']);
  assert.equal(claim.metadata.finalizers, ['kubernetes.io/pvc-protection']);

  const deleted = await kubectl(kc, ['delete', 'namespace', 'uploads', '--timeout=15s']);
  assert.is(deleted.code, 0, deleted.stderr);
  const gone = await kubectl(kc, ['get', 'namespace', 'uploads']);
  assert.match(gone.stderr, 'NotFound');

  const volume = await kubectl(kc, ['delete', 'pv', 'uploads-pv', '--timeout=15s']);
  assert.is(volume.code, 0, volume.stderr);
  assert.match((await kubectl(kc, ['get', 'pv', 'uploads-pv'])).stderr, 'NotFound');
});

test('kubectl create -f and apply -f of a List, as kubectl get -o yaml writes it', async () => {
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'listed', namespace: 'payments' }, data: { a: '1' } },
    ],
  };
  assert.match(await kubectlOk(kc, ['create', '-f', '-'], dump(list)), 'configmap/listed created');
  list.items[0].data.a = '2';
  assert.match(await kubectlOk(kc, ['apply', '-f', '-'], dump(list)), 'configmap/listed configured');
  assert.equal((await getJson(['configmap', 'listed'])).data, { a: '2' });
});

test('kubectl explain: kinds and their fields', async () => {
  const replicas = await kubectlOk(kc, ['explain', 'deployment.spec.replicas']);
  assert.match(replicas, /KIND:\s+Deployment/);
  assert.match(replicas, /FIELD:\s+replicas <integer>/);
  const configmap = await kubectlOk(kc, ['explain', 'configmap']);
  for (const field of ['apiVersion', 'binaryData', 'data', 'immutable', 'kind', 'metadata'])
    assert.match(configmap, new RegExp(`^  ${field}\\s`, 'm'));
  const ports = await kubectlOk(kc, ['explain', 'service.spec.ports']);
  for (const field of ['name', 'port', 'protocol', 'targetPort'])
    assert.match(ports, new RegExp(`^  ${field}\\s`, 'm'));
  const volumes = await kubectlOk(kc, ['explain', 'pod.spec.volumes']);
  assert.match(volumes, /^  persistentVolumeClaim\s/m, 'a volume source is inlined in Volume, as Go has it');
  const cronjob = await kubectlOk(kc, ['explain', 'cronjobs.spec.jobTemplate.spec.template.spec.containers.image']);
  assert.match(cronjob, /FIELD:\s+image <string>/);
});

test.run();
