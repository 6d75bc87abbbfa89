// The patch restore sends is computed between normalised forms but applies to the LIVE object: its
// paths count live list elements, and what normalisation hides (injected volumes, admission
// tolerations, allocated ports, server metadata) is never touched.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fastJsonPatch from 'fast-json-patch';
import { normalizeObject, type KubeObject, type ResourceInfo } from '../../lib/normalize/index.ts';
import { immutableField, mapNamespaces, parseNamespaceMap } from '../../lib/restore/index.ts';
import { ApiError } from '../../lib/kube/index.ts';
import { livePatchFor } from '../../lib/restore/live-patch.ts';
import { decide } from '../../lib/restore/compare.ts';
import { Neighbours } from '../../lib/restore/neighbours.ts';

const podInfo: ResourceInfo = {
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
  verbs: ['list', 'watch'],
};
const serviceInfo: ResourceInfo = { ...podInfo, resource: 'services', kind: 'Service' };
const resource = (info: ResourceInfo) => ({
  ...info,
  singularName: info.kind.toLowerCase(),
  shortNames: [],
  categories: [],
});

const admission = (key: string) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });

function livePod(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'p',
      namespace: 'shop',
      uid: 'u-1',
      resourceVersion: '41',
      creationTimestamp: '2026-11-20T10:00:00Z',
    },
    spec: {
      nodeName: 'node-1',
      tolerations: [
        admission('node.kubernetes.io/not-ready'),
        { key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' },
        admission('node.kubernetes.io/unreachable'),
      ],
      volumes: [
        { name: 'kube-api-access-x1', projected: { sources: [] } },
        { name: 'data', configMap: { name: 'data-v2' } },
      ],
      containers: [
        {
          name: 'app',
          image: 'app:2',
          volumeMounts: [
            { name: 'kube-api-access-x1', mountPath: '/var/run/secrets' },
            { name: 'data', mountPath: '/data' },
          ],
        },
      ],
    },
    status: { phase: 'Running' },
  };
}

function normalized(object: KubeObject, info: ResourceInfo): KubeObject {
  const result = normalizeObject(object, info);
  assert.is(result.action, 'keep');
  return (result as { object: KubeObject }).object;
}

test('paths count the live list elements that normalisation hid; hidden elements and server fields stay', () => {
  const live = livePod();
  const normal = normalized(live, podInfo);
  const committed = structuredClone(normal) as any;
  committed.spec.volumes[0].configMap.name = 'data-v1';
  committed.spec.containers[0].image = 'app:1';
  committed.spec.tolerations[0].value = 'payments';
  const patch = livePatchFor(live, normal, committed);
  assert.equal(patch[0], { op: 'test', path: '/metadata/resourceVersion', value: '41' });
  assert.equal(
    patch
      .slice(1)
      .map((op) => op.path)
      .sort(),
    ['/spec/containers/0/image', '/spec/tolerations/1/value', '/spec/volumes/1/configMap/name'],
  );

  const patched = fastJsonPatch.applyPatch(structuredClone(live), patch as fastJsonPatch.Operation[], true, false)
    .newDocument as any;
  assert.equal(normalized(patched, podInfo), committed);
  assert.is(patched.spec.volumes[0].name, 'kube-api-access-x1');
  assert.is(patched.spec.containers[0].volumeMounts.length, 2);
  assert.equal(
    patched.spec.tolerations.map((t: { key: string }) => t.key),
    ['node.kubernetes.io/not-ready', 'dedicated', 'node.kubernetes.io/unreachable'],
  );
  assert.is(patched.spec.nodeName, 'node-1');
  assert.is(patched.metadata.uid, 'u-1');
  assert.equal(patched.status, { phase: 'Running' });
});

test('an element added or removed in the revision lands beside the hidden ones, not over them', () => {
  const live = livePod();
  const normal = normalized(live, podInfo);
  const committed = structuredClone(normal) as any;
  committed.spec.volumes.push({ name: 'cache', emptyDir: {} });
  committed.spec.tolerations = [];
  const patched = fastJsonPatch.applyPatch(
    structuredClone(live),
    livePatchFor(live, normal, committed) as fastJsonPatch.Operation[],
    true,
    false,
  ).newDocument as any;
  assert.equal(
    patched.spec.volumes.map((v: { name: string }) => v.name),
    ['kube-api-access-x1', 'data', 'cache'],
  );
  assert.equal(
    patched.spec.tolerations.map((t: { key: string }) => t.key),
    ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'],
  );
});

test('a Service keeps its clusterIP and allocated nodePorts when its ports are restored', () => {
  const live = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop', resourceVersion: '7' },
    spec: {
      type: 'NodePort',
      clusterIP: '10.96.0.12',
      clusterIPs: ['10.96.0.12'],
      ports: [{ port: 81, targetPort: 8080, protocol: 'TCP', nodePort: 31234 }],
      selector: { app: 'web' },
    },
    // A kubectl patch of the ports made its manager own the allocated nodePort, so normalisation keeps it.
  } as KubeObject;
  const committed = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'web' } },
  } as KubeObject;
  const decision = decide(committed, live, resource(serviceInfo), {}, new Neighbours(false));
  assert.is(decision.action, 'update');
  assert.equal(decision.livePatch.slice(1), [{ op: 'replace', path: '/spec/ports/0/port', value: 80 }]);
});

test('a map the revision does not have loses only what normalisation showed', () => {
  const namespaceInfo: ResourceInfo = {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    verbs: ['list', 'watch'],
  };
  const live = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'shop', resourceVersion: '3', labels: { 'kubernetes.io/metadata.name': 'shop', drift: 'yes' } },
    spec: { finalizers: ['kubernetes'] },
  } as KubeObject;
  const committed = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } as KubeObject;
  const decision = decide(committed, live, resource(namespaceInfo), {}, new Neighbours(false));
  assert.equal(decision.livePatch.slice(1), [{ op: 'remove', path: '/metadata/labels/drift' }]);
  assert.equal(
    decision.fields.map((f) => f.path),
    ['metadata.labels'],
  );
});

test('namespace references follow --namespace-map', () => {
  const map = parseNamespaceMap(['shop=shop-drill']);
  const binding = mapNamespaces(
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'b' },
      subjects: [
        { kind: 'ServiceAccount', name: 'web', namespace: 'shop' },
        { kind: 'ServiceAccount', name: 'x', namespace: 'other' },
        { kind: 'Group', name: 'devs' },
      ],
    } as KubeObject,
    { group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
    map,
  ) as any;
  assert.equal(binding.subjects, [
    { kind: 'ServiceAccount', name: 'web', namespace: 'shop-drill' },
    { kind: 'ServiceAccount', name: 'x', namespace: 'other' },
    { kind: 'Group', name: 'devs' },
  ]);
  const webhook = mapNamespaces(
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'w' },
      webhooks: [{ name: 'a', clientConfig: { service: { name: 's', namespace: 'shop' } } }],
    } as KubeObject,
    { group: 'admissionregistration.k8s.io', resource: 'validatingwebhookconfigurations' },
    map,
  ) as any;
  assert.is(webhook.webhooks[0].clientConfig.service.namespace, 'shop-drill');
  const namespace = mapNamespaces(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 't' } } } as KubeObject,
    { group: '', resource: 'namespaces' },
    map,
  );
  assert.is(namespace.metadata.name, 'shop-drill');
  const volume = mapNamespaces(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv' },
      spec: { claimRef: { name: 'c', namespace: 'shop' } },
    } as KubeObject,
    { group: '', resource: 'persistentvolumes' },
    map,
  ) as any;
  assert.is(volume.spec.claimRef.namespace, 'shop-drill');
  for (const bad of [['shop'], ['shop=Shop'], ['shop=shop'], ['a=b', 'a=c'], ['a=b', 'b=c']])
    assert.throws(() => parseNamespaceMap(bad), /--namespace-map/);
});

test('an immutable-field refusal names its field, from the causes or the message', () => {
  const withCause = new ApiError(422, 'Invalid', 'PATCH /x: invalid', {
    details: { causes: [{ field: 'spec.selector', message: 'Invalid value: ...: field is immutable' }] },
  });
  assert.is(immutableField(withCause), 'spec.selector');
  const inMessage = new ApiError(
    422,
    'Invalid',
    'PATCH /apis/batch/v1/namespaces/a/jobs/j: Job.batch "j" is invalid: spec.template: Invalid value: core.PodTemplateSpec{}: field is immutable',
  );
  assert.is(immutableField(inMessage), 'spec.template');
  assert.is(immutableField(new ApiError(422, 'Invalid', 'PATCH /x: something else')), undefined);
  assert.is(immutableField(new ApiError(409, 'Conflict', 'field is immutable')), undefined);
});

test.run();
