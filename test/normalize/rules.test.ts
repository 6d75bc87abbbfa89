// Per-kind rules on small hand-made objects, for cases the recording does not show.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  normalizeObject,
  type KubeObject,
  type ManagedFieldsEntry,
  type NormalizeOptions,
} from '../../lib/normalize/index.ts';
import { recordedList, resourceInfo } from './recorded-fixtures.ts';
import { testDigestKey } from '../helpers/digest-key.ts';

function keep(resource: string, group: string, raw: unknown, options?: NormalizeOptions): any {
  const result = normalizeObject(raw as KubeObject, resourceInfo(resource, group), {
    digestKey: testDigestKey,
    ...options,
  });
  if (result.action !== 'keep') throw new Error(`skipped: ${result.reason}`);
  return result.object;
}

const kubectlCreate = (fieldsV1: Record<string, unknown>): ManagedFieldsEntry => ({
  manager: 'kubectl-create',
  operation: 'Update',
  fieldsV1,
});

test('a nodePort the user chose is kept, an allocated one goes; without managedFields it is kept', () => {
  const service = (managedFields?: ManagedFieldsEntry[]) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', namespace: 'n', managedFields },
    spec: {
      type: 'NodePort',
      ports: [
        { port: 80, protocol: 'TCP', nodePort: 30080 },
        { port: 81, protocol: 'TCP', nodePort: 31999 },
      ],
    },
  });
  const owned = kubectlCreate({
    'f:spec': {
      'f:ports': {
        'k:{"port":80,"protocol":"TCP"}': { 'f:port': {}, 'f:nodePort': {} },
        'k:{"port":81,"protocol":"TCP"}': { 'f:port': {} },
      },
    },
  });
  assert.equal(keep('services', '', service([owned])).spec.ports, [{ port: 80, nodePort: 30080 }, { port: 81 }]);
  assert.equal(keep('services', '', service()).spec.ports, [
    { port: 80, nodePort: 30080 },
    { port: 81, nodePort: 31999 },
  ]);
});

test('LoadBalancer defaults and a non-default port protocol', () => {
  const spec = keep('services', '', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 's', namespace: 'n' },
    spec: {
      type: 'LoadBalancer',
      allocateLoadBalancerNodePorts: true,
      externalTrafficPolicy: 'Cluster',
      clusterIP: '10.0.0.9',
      clusterIPs: ['10.0.0.9'],
      ports: [{ port: 53, protocol: 'UDP', targetPort: 5353 }],
    },
  }).spec;
  assert.equal(spec, { type: 'LoadBalancer', ports: [{ port: 53, protocol: 'UDP', targetPort: 5353 }] });
});

test('imagePullPolicy is stripped only when it is the default for the image', () => {
  const containers = keep('deployments', 'apps', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'n' },
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'a', image: 'nginx', imagePullPolicy: 'Always' },
            { name: 'b', image: 'nginx:latest', imagePullPolicy: 'Always' },
            { name: 'c', image: 'registry:5000/nginx:1.2', imagePullPolicy: 'IfNotPresent' },
            { name: 'd', image: 'registry:5000/nginx', imagePullPolicy: 'IfNotPresent' },
            { name: 'e', image: 'nginx:1.2', imagePullPolicy: 'Always' },
          ],
        },
      },
    },
  }).spec.template.spec.containers;
  assert.equal(
    containers.map((container: any) => container.imagePullPolicy),
    [undefined, undefined, undefined, 'IfNotPresent', 'Always'],
  );
});

test('a Job with manualSelector keeps its selector and labels', () => {
  const spec = keep('jobs', 'batch', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', namespace: 'n' },
    spec: {
      manualSelector: true,
      selector: { matchLabels: { 'job-name': 'j' } },
      parallelism: 3,
      completions: 1,
      template: {
        metadata: { labels: { 'job-name': 'j' } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x:1' }] },
      },
    },
  }).spec;
  assert.equal(spec.selector, { matchLabels: { 'job-name': 'j' } });
  assert.equal(spec.template.metadata.labels, { 'job-name': 'j' });
  // completions 1 with parallelism 3 is not the default (nil would mean a work queue).
  assert.is(spec.completions, 1);
  assert.is(spec.manualSelector, true);
});

test('a Pod loses its node, injected token volume, admission tolerations and defaults', () => {
  const ledger = recordedList('pods.json').find((entry) => entry.raw.metadata.name === 'ledger-0')!;
  const spec = keep('pods', '', ledger.raw, { include: new Set(['owned']) }).spec;
  assert.equal(spec, {
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-ledger-0' } }],
    containers: [
      { name: 'db', image: 'postgres:16', volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }] },
    ],
    hostname: 'ledger-0',
    subdomain: 'ledger',
  });
});

test('ServiceAccount token secrets go, other image pull secrets stay', () => {
  const account = keep('serviceaccounts', '', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'builder', namespace: 'n' },
    secrets: [{ name: 'builder-token-x7k2p' }, { name: 'registry-creds' }],
  });
  assert.equal(account.secrets, [{ name: 'registry-creds' }]);
});

test('webhook caBundle and defaults go', () => {
  const configuration = keep('validatingwebhookconfigurations', 'admissionregistration.k8s.io', {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'w' },
    webhooks: [
      {
        name: 'check.example.com',
        clientConfig: { caBundle: 'LS0tLS1CRUdJTg==', service: { name: 'hook', namespace: 'n' } },
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        timeoutSeconds: 10,
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'], scope: '*' }],
      },
    ],
  });
  assert.equal(configuration.webhooks, [
    {
      name: 'check.example.com',
      clientConfig: { service: { name: 'hook', namespace: 'n' } },
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }],
    },
  ]);
});

test('server-side apply: fields of other appliers are kept, fields nobody applied go', () => {
  const object = keep('configmaps', '', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'c',
      namespace: 'n',
      labels: { team: 'a', injected: 'x' },
      managedFields: [
        {
          manager: 'kubectl',
          operation: 'Apply',
          fieldsV1: { 'f:data': { 'f:a': {} }, 'f:metadata': { 'f:labels': { 'f:team': {} } } },
        },
        { manager: 'argocd', operation: 'Apply', fieldsV1: { 'f:data': { 'f:b': {} } } },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          fieldsV1: { 'f:metadata': { 'f:labels': { 'f:injected': {} } } },
        },
      ],
    },
    data: { a: '1', b: '2', c: '3' },
  });
  assert.equal(object, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'n', labels: { team: 'a' } },
    data: { a: '1', b: '2' },
  });
});

test('an Update by a user keeps everything that is not a default', () => {
  const object = keep('configmaps', '', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'c',
      namespace: 'n',
      managedFields: [
        { manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:data': { 'f:a': {} } } },
        kubectlCreate({ 'f:data': { 'f:c': {} } }),
      ],
    },
    data: { a: '1', c: '3' },
  });
  assert.equal(object.data, { a: '1', c: '3' });
});

test('a Secret applied with stringData keeps its (redacted) data', () => {
  const secret = keep('secrets', '', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 's',
      namespace: 'n',
      managedFields: [
        { manager: 'kubectl', operation: 'Apply', fieldsV1: { 'f:stringData': { 'f:password': {} }, 'f:type': {} } },
      ],
    },
    data: { password: Buffer.from('hunter2').toString('base64') },
    type: 'Opaque',
  });
  assert.equal(Object.keys(secret.data), ['password']);
  assert.match(secret.data.password, /^hmac-sha256:/);
});

test('Helm release Secrets and kube-root-ca.crt ConfigMaps are skipped unless included', () => {
  const release = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'sh.helm.release.v1.x.v1', namespace: 'n' },
    type: 'helm.sh/release.v1',
    data: {},
  };
  assert.equal(normalizeObject(release as KubeObject, resourceInfo('secrets', '')), {
    action: 'skip',
    reason: 'helm-releases',
  });
  assert.is(
    normalizeObject(release as KubeObject, resourceInfo('secrets', ''), {
      include: new Set(['helm-releases']),
      digestKey: testDigestKey,
    }).action,
    'keep',
  );
  const rootCa = recordedList('configmaps.json').find((entry) => entry.raw.metadata.name === 'kube-root-ca.crt')!;
  assert.equal(normalizeObject(rootCa.raw, rootCa.info), { action: 'skip', reason: 'root-ca-configmaps' });
});

test.run();
