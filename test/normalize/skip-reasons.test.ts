import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resourceSkipReason, skipReasons, type ResourceInfo, type SkipReason } from '../../lib/normalize/index.ts';
import { resourceInfo } from './recorded-fixtures.ts';

const expected: Array<[string, string, SkipReason | undefined]> = [
  ['events', '', 'events'],
  ['events', 'events.k8s.io', 'events'],
  ['leases', 'coordination.k8s.io', 'leases'],
  ['endpoints', '', 'endpoints'],
  ['endpointslices', 'discovery.k8s.io', 'endpoints'],
  ['nodes', '', 'nodes'],
  ['controllerrevisions', 'apps', 'controller-revisions'],
  ['tokenreviews', 'authentication.k8s.io', 'not-listable'],
  ['bindings', '', 'not-listable'],
  ['componentstatuses', '', 'not-listable'],
  ['selfsubjectaccessreviews', 'authorization.k8s.io', 'not-listable'],
  ['configmaps', '', undefined],
  ['secrets', '', undefined],
  ['deployments', 'apps', undefined],
  ['widgets', 'example.com', undefined],
  ['customresourcedefinitions', 'apiextensions.k8s.io', undefined],
];

test('whole resources skipped by default, from the recorded discovery', () => {
  for (const [resource, group, reason] of expected) {
    assert.is(resourceSkipReason(resourceInfo(resource, group)), reason, `${resource}.${group}`);
  }
});

test('metrics.k8s.io is skipped', () => {
  const podMetrics: ResourceInfo = {
    group: 'metrics.k8s.io',
    version: 'v1beta1',
    resource: 'pods',
    kind: 'PodMetrics',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
  };
  assert.is(resourceSkipReason(podMetrics), 'metrics');
});

test('each skip is turned off by including its reason', () => {
  for (const [resource, group, reason] of expected) {
    if (reason) assert.is(resourceSkipReason(resourceInfo(resource, group), { include: new Set([reason]) }), undefined);
  }
});

test('--secrets skip skips the whole secrets resource', () => {
  assert.is(resourceSkipReason(resourceInfo('secrets', ''), { secrets: 'skip' }), 'secrets');
  assert.is(resourceSkipReason(resourceInfo('configmaps', ''), { secrets: 'skip' }), undefined);
});

test('every reason is described and has its flag', () => {
  for (const [reason, { description, includeFlag }] of Object.entries(skipReasons)) {
    assert.ok(description.length > 10, reason);
    assert.match(includeFlag, /^--[a-z-]+/, reason);
  }
  assert.is(skipReasons.owned.includeFlag, '--include-owned');
});

test.run();
