// The ServiceAccount admission plugin's volume in Pods exported before 1.22: `<account>-token-<5>` (the Secret the
// token controller minted) mounted at /var/run/secrets/kubernetes.io/serviceaccount goes, as kube-api-access-* does;
// the same Secret mounted by its user elsewhere, or another account's, stays.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalizeObject, type KubeObject, type ResourceInfo } from '../../lib/normalize/index.ts';

const pods: ResourceInfo = {
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
  verbs: ['list', 'watch'],
};
const tokenPath = '/var/run/secrets/kubernetes.io/serviceaccount';

function secretVolume(name: string) {
  return { name, secret: { secretName: name, defaultMode: 420 } };
}

function pod(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' }, spec };
}

function cleanSpec(raw: KubeObject): any {
  const result = normalizeObject(raw, pods);
  assert.is(result.action, 'keep');
  return (result as { object: KubeObject }).object.spec;
}

test("default-token-xxxxx and its mounts in every container go; the pod's own volumes stay", () => {
  const spec = cleanSpec(
    pod({
      serviceAccountName: 'default',
      serviceAccount: 'default',
      initContainers: [
        {
          name: 'init',
          image: 'busybox:1.36',
          volumeMounts: [{ name: 'default-token-7zq4m', mountPath: tokenPath, readOnly: true }],
        },
      ],
      containers: [
        {
          name: 'web',
          image: 'nginx:1.19',
          volumeMounts: [
            { name: 'data', mountPath: '/data' },
            { name: 'default-token-7zq4m', mountPath: tokenPath, readOnly: true },
          ],
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }, secretVolume('default-token-7zq4m')],
    }),
  );
  assert.equal(spec, {
    initContainers: [{ name: 'init', image: 'busybox:1.36' }],
    containers: [{ name: 'web', image: 'nginx:1.19', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    volumes: [{ name: 'data', emptyDir: {} }],
  });
});

test('the account named by the deprecated serviceAccount field counts too', () => {
  const spec = cleanSpec(
    pod({
      serviceAccount: 'builder',
      containers: [
        {
          name: 'web',
          image: 'nginx:1.19',
          volumeMounts: [{ name: 'builder-token-x7k2p', mountPath: tokenPath, readOnly: true }],
        },
      ],
      volumes: [secretVolume('builder-token-x7k2p')],
    }),
  );
  assert.equal(spec, { serviceAccount: 'builder', containers: [{ name: 'web', image: 'nginx:1.19' }] });
});

test("what the user mounted stays: the token Secret elsewhere, another account's token, a Secret of a similar name", () => {
  const elsewhere = pod({
    containers: [
      { name: 'web', image: 'nginx:1.19', volumeMounts: [{ name: 'default-token-7zq4m', mountPath: '/etc/token' }] },
    ],
    volumes: [secretVolume('default-token-7zq4m')],
  });
  assert.equal(cleanSpec(elsewhere).volumes, [
    { name: 'default-token-7zq4m', secret: { secretName: 'default-token-7zq4m' } },
  ]);
  const otherAccount = pod({
    serviceAccountName: 'web',
    containers: [
      { name: 'web', image: 'nginx:1.19', volumeMounts: [{ name: 'default-token-7zq4m', mountPath: tokenPath }] },
    ],
    volumes: [secretVolume('default-token-7zq4m')],
  });
  assert.is(cleanSpec(otherAccount).volumes.length, 1);
  const similar = pod({
    containers: [
      { name: 'web', image: 'nginx:1.19', volumeMounts: [{ name: 'default-token-reader', mountPath: tokenPath }] },
    ],
    volumes: [secretVolume('default-token-reader')],
  });
  assert.is(cleanSpec(similar).volumes.length, 1);
  const renamed = pod({
    containers: [{ name: 'web', image: 'nginx:1.19', volumeMounts: [{ name: 'token', mountPath: tokenPath }] }],
    volumes: [{ name: 'token', secret: { secretName: 'default-token-7zq4m' } }],
  });
  assert.is(cleanSpec(renamed).volumes.length, 1);
});

test('a pod template keeps such a volume: admission adds it to Pods only', () => {
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: {
      template: {
        spec: { containers: [{ name: 'web', image: 'nginx:1.19' }], volumes: [secretVolume('default-token-7zq4m')] },
      },
    },
  };
  const result = normalizeObject(deployment, {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    verbs: [],
  });
  assert.is((result as any).object.spec.template.spec.volumes.length, 1);
});

test.run();
