import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { builtinResources, resourcesFromCrd } from '../../lib/sim/catalog.ts';
import type { KubeObject } from '../../lib/sim/types.ts';

const fixtureDir = new URL('../fixtures/apiserver/', import.meta.url);
const fixture = (path: string) => JSON.parse(readFileSync(new URL(path, fixtureDir), 'utf8'));
const find = (group: string, version: string, resource: string) =>
  builtinResources().find((d) => d.group === group && d.version === version && d.resource === resource);

test('builtin catalog holds every discovered built-in resource but no CRD group', () => {
  const all = builtinResources();
  assert.is(all.length, 59);
  assert.ok(all.every((d) => d.group !== 'example.com'));
  assert.ok(find('', 'v1', 'bindings'), 'non-listable bindings is included');
  assert.ok(find('authentication.k8s.io', 'v1', 'tokenreviews'));
});

test('every top-level resource of every recorded discovery document is in the catalog, verbatim', () => {
  const files = readdirSync(new URL('discovery/', fixtureDir)).filter(
    (f) => /^api(s_.*|_v1)\.json$/.test(f) && !f.includes('example.com'),
  );
  let count = 0;
  for (const file of files) {
    const list = fixture(`discovery/${file}`);
    const [group, version] = list.groupVersion.includes('/') ? list.groupVersion.split('/') : ['', list.groupVersion];
    for (const r of list.resources.filter((r: { name: string }) => !r.name.includes('/'))) {
      count++;
      const def = find(group, version, r.name);
      assert.ok(def, `${list.groupVersion} ${r.name}`);
      assert.equal(
        [
          def!.kind,
          def!.singularName,
          def!.namespaced,
          def!.verbs,
          def!.shortNames,
          def!.categories,
          def!.storageVersionHash,
        ],
        [r.kind, r.singularName, r.namespaced, r.verbs, r.shortNames, r.categories, r.storageVersionHash],
      );
      const subresources = list.resources
        .map((s: { name: string }) => s.name)
        .filter((n: string) => n === `${r.name}/status` || n === `${r.name}/scale`);
      assert.equal([...def!.subresources].sort(), subresources.map((n: string) => n.split('/')[1]).sort());
    }
  }
  assert.is(count, builtinResources().length);
});

test('deployments: kind, subresources, verbs and short names as discovery lists them', () => {
  assert.equal(find('apps', 'v1', 'deployments'), {
    group: 'apps',
    version: 'v1',
    preferred: true,
    resource: 'deployments',
    kind: 'Deployment',
    listKind: 'DeploymentList',
    singularName: 'deployment',
    namespaced: true,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
    storageVersionHash: '8aSe+NMegvE=',
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
  const crd = fixture(
    'objects/_cluster_customresourcedefinitions.apiextensions.k8s.io_widgets.example.com.json',
  ) as KubeObject;
  const discovered = fixture('discovery/apis_example.com_v1.json').resources[0];
  assert.equal(resourcesFromCrd(crd), [
    {
      group: 'example.com',
      version: 'v1',
      preferred: true,
      resource: 'widgets',
      kind: 'Widget',
      listKind: 'WidgetList',
      singularName: 'widget',
      namespaced: true,
      verbs: discovered.verbs,
      shortNames: ['wd'],
      subresources: ['status'],
      storageVersionHash: discovered.storageVersionHash,
    },
  ]);
});

test('resourcesFromCrd: only served versions, highest-priority preferred, cluster scope, scale', () => {
  const crd: KubeObject = {
    metadata: { name: 'gadgets.acme.io' },
    spec: {
      group: 'acme.io',
      scope: 'Cluster',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', categories: ['acme'] },
      versions: [
        { name: 'v1alpha1', served: false, storage: false },
        {
          name: 'v1beta1',
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas' } },
        },
        { name: 'v1', served: true, storage: false },
        { name: 'v2alpha1', served: true, storage: false },
      ],
    },
  };
  const defs = resourcesFromCrd(crd);
  assert.equal(
    defs.map((d) => [d.version, d.preferred]),
    [
      ['v1beta1', false],
      ['v1', true],
      ['v2alpha1', false],
    ],
  );
  assert.equal(defs[0].subresources, ['status', 'scale']);
  assert.is(defs[1].namespaced, false);
  assert.is(defs[1].listKind, 'GadgetList');
  assert.equal(defs[1].categories, ['acme']);
  assert.is(defs[1].shortNames, undefined);
});

test.run();
