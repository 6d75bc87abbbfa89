import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { identityMismatch } from '../../lib/layout/index.ts';

const clusterRole = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'escape' } };
const underShop = { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: 'shop', name: 'escape' };
const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'shop' } };

test('a manifest that is what its path says passes', () => {
  assert.is(
    identityMismatch(
      configMap,
      { group: '', resource: 'configmaps', namespace: 'shop', name: 'x' },
      { kind: 'ConfigMap', namespaced: true },
    ),
    undefined,
  );
  assert.is(
    identityMismatch(clusterRole, { ...underShop, namespace: undefined }, { kind: 'ClusterRole', namespaced: false }),
    undefined,
  );
});

test('a cluster-scoped object under a namespace folder, and a namespaced one under _cluster/, are named', () => {
  assert.is(
    identityMismatch(clusterRole, underShop, { kind: 'ClusterRole', namespaced: false }),
    'its manifest is a ClusterRole, which is cluster-scoped, but its path puts it in namespace "shop".',
  );
  const { namespace: _, ...bare } = configMap.metadata;
  assert.is(
    identityMismatch(
      { ...configMap, metadata: bare },
      { group: '', resource: 'configmaps', name: 'x' },
      { kind: 'ConfigMap', namespaced: true },
    ),
    'its manifest is a ConfigMap, which lives in a namespace, but its path puts it in the cluster scope (_cluster/).',
  );
});

test('name, API group, kind and namespace are each checked against the path', () => {
  const path = { group: '', resource: 'configmaps', namespace: 'shop', name: 'x' };
  assert.match(identityMismatch({ ...configMap, metadata: { name: 'y' } }, path)!, /named "y", not "x"/);
  assert.match(
    identityMismatch({ ...configMap, apiVersion: 'rbac.authorization.k8s.io/v1' }, path)!,
    /apiVersion "rbac\.authorization\.k8s\.io\/v1" is not of the API group ""/,
  );
  assert.match(
    identityMismatch({ ...configMap, kind: 'Secret' }, path, { kind: 'ConfigMap' })!,
    /of kind "Secret", not ConfigMap/,
  );
  assert.match(
    identityMismatch({ ...configMap, metadata: { name: 'x', namespace: 'payments' } }, path)!,
    /in namespace "payments", but its path puts it in namespace "shop"/,
  );
  assert.match(
    identityMismatch({ ...configMap, metadata: { name: 'x', namespace: 'shop' } }, { ...path, namespace: undefined })!,
    /in namespace "shop", but its path puts it in the cluster scope/,
  );
  assert.is(identityMismatch({ kind: 'ConfigMap' }, path), 'its manifest has no metadata.');
});

test.run();
