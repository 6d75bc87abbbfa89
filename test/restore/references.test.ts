import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { KubeObject } from '../../lib/normalize/index.ts';
import { keepLiveFields, Neighbours } from '../../lib/restore/neighbours.ts';
import { podReferences } from '../../lib/restore/references.ts';

const podSpec = {
  serviceAccountName: 'reporter',
  imagePullSecrets: [{ name: 'registry' }],
  initContainers: [{ name: 'init', envFrom: [{ configMapRef: { name: 'init-config' } }] }],
  containers: [
    {
      name: 'main',
      envFrom: [{ secretRef: { name: 'maybe', optional: true } }],
      env: [
        { name: 'A', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
        { name: 'B', valueFrom: { configMapKeyRef: { name: 'init-config', key: 'b' } } },
      ],
    },
  ],
  volumes: [
    { name: 'tls', secret: { secretName: 'tls' } },
    {
      name: 'all',
      projected: { sources: [{ configMap: { name: 'projected' } }, { secret: { name: 'gone', optional: true } }] },
    },
  ],
};

test("a CronJob's pods need what its job template names, each once, optional ones left out", () => {
  const cronJob = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'r' },
    spec: { jobTemplate: { spec: { template: { spec: podSpec } } } },
  } as KubeObject;
  assert.equal(podReferences('batch', 'CronJob', cronJob), [
    { kind: 'ServiceAccount', name: 'reporter' },
    { kind: 'Secret', name: 'registry' },
    { kind: 'ConfigMap', name: 'init-config' },
    { kind: 'Secret', name: 'db' },
    { kind: 'Secret', name: 'tls' },
    { kind: 'ConfigMap', name: 'projected' },
  ]);
});

test('the default ServiceAccount and kinds without pods need nothing', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'w' },
    spec: { template: { spec: { serviceAccountName: 'default', containers: [] } } },
  } as KubeObject;
  assert.equal(podReferences('apps', 'Deployment', deployment), []);
  assert.equal(
    podReferences('', 'ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      spec: { template: { spec: podSpec } },
    } as KubeObject),
    [],
  );
});

test('kept fields take the live value, fields inside list elements are left to the patch, Secret values never appear', () => {
  const live = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          fieldsV1: {
            'f:spec': {
              'f:replicas': {},
              'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } },
            },
          },
        },
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          subresource: 'status',
          fieldsV1: { 'f:status': { 'f:replicas': {} } },
        },
      ],
    },
    spec: { replicas: 5, template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } },
  } as unknown as KubeObject;
  const kept = new Neighbours(false).keptFields(live, {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    verbs: [],
  } as never);
  assert.equal(kept, [{ path: ['spec', 'replicas'], owner: 'kube-controller-manager' }]);
  const committed = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { replicas: 2 },
  } as KubeObject;
  const result = keepLiveFields(committed, live, kept, false);
  assert.equal(result.committed.spec, { replicas: 5 });
  assert.equal(committed.spec, { replicas: 2 }, 'the committed object is not changed in place');
  assert.equal(result.warnings, [
    'spec.replicas is left as it is live (5; the revision has 2): kube-controller-manager manages it; --force-conflicts restores it.',
  ]);
  assert.equal(keepLiveFields(committed, live, kept, true).warnings, [
    'spec.replicas is left as it is live: kube-controller-manager manages it; --force-conflicts restores it.',
  ]);
  assert.equal(new Neighbours(true).keptFields(live, { group: 'apps', kind: 'Deployment' } as never), []);
});

test.run();
