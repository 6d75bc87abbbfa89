import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { builtinResources, resourcesFromCrd } from '../../lib/sim/catalog.ts';
import type { KubeObject } from '../../lib/sim/types.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/semantics/${name}`, import.meta.url), 'utf8'));
const find = (group: string, version: string, resource: string) =>
  builtinResources().find((d) => d.group === group && d.version === version && d.resource === resource);

test('builtin catalog holds every discovered built-in resource but no CRD group', () => {
  const all = builtinResources();
  assert.is(all.length, 59);
  assert.ok(all.every((d) => d.group !== 'example.com'));
  assert.ok(find('', 'v1', 'bindings'), 'non-listable bindings is included');
  assert.ok(find('authentication.k8s.io', 'v1', 'tokenreviews'));
});

test('deployments: kind, subresources, verbs and short names as discovery lists them', () => {
  assert.equal(find('apps', 'v1', 'deployments'), {
    group: 'apps', version: 'v1', preferred: true, resource: 'deployments', kind: 'Deployment', listKind: 'DeploymentList',
    singularName: 'deployment', namespaced: true,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'], storageVersionHash: '8aSe+NMegvE=',
  });
  assert.equal(find('', 'v1', 'namespaces')?.namespaced, false);
  assert.equal(find('', 'v1', 'configmaps')?.subresources, []);
  assert.equal(find('', 'v1', 'replicationcontrollers')?.subresources, ['status', 'scale']);
});

test('preferred version follows the group preferredVersion', () => {
  assert.is(find('autoscaling', 'v2', 'horizontalpodautoscalers')?.preferred, true);
  assert.is(find('autoscaling', 'v1', 'horizontalpodautoscalers')?.preferred, false);
});

test('callers get copies they may mutate', () => {
  find('apps', 'v1', 'deployments')!.verbs.push('bogus');
  assert.not.ok(find('apps', 'v1', 'deployments')!.verbs.includes('bogus'));
});

test('resourcesFromCrd matches what the real server discovers for widgets.example.com', () => {
  const crd = fixture('_cluster_customresourcedefinitions.apiextensions.k8s.io_widgets.example.com.json') as KubeObject;
  const discovered = fixture('discovery_example.com_v1.json').resources[0];
  assert.equal(resourcesFromCrd(crd), [{
    group: 'example.com', version: 'v1', preferred: true, resource: 'widgets', kind: 'Widget', listKind: 'WidgetList',
    singularName: 'widget', namespaced: true, verbs: discovered.verbs, shortNames: ['wd'], subresources: ['status'],
    storageVersionHash: discovered.storageVersionHash,
  }]);
});

test('resourcesFromCrd: only served versions, highest-priority preferred, cluster scope, scale', () => {
  const crd: KubeObject = {
    metadata: { name: 'gadgets.acme.io' },
    spec: {
      group: 'acme.io', scope: 'Cluster',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', categories: ['acme'] },
      versions: [
        { name: 'v1alpha1', served: false, storage: false },
        { name: 'v1beta1', served: true, storage: true, subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas' } } },
        { name: 'v1', served: true, storage: false },
        { name: 'v2alpha1', served: true, storage: false },
      ],
    },
  };
  const defs = resourcesFromCrd(crd);
  assert.equal(defs.map((d) => [d.version, d.preferred]), [['v1beta1', false], ['v1', true], ['v2alpha1', false]]);
  assert.equal(defs[0].subresources, ['status', 'scale']);
  assert.is(defs[1].namespaced, false);
  assert.is(defs[1].listKind, 'GadgetList');
  assert.equal(defs[1].categories, ['acme']);
  assert.is(defs[1].shortNames, undefined);
});

test.run();
