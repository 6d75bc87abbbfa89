// Discovery documents, in both the legacy per-group-version form and the aggregated apidiscovery.k8s.io/v2 form.
import type { ResourceRegistry } from './registry.ts';
import type { ResourceDef } from './types.ts';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.13',
  gitCommit: 'a154cc733f12a7fbc768d2a34dd5f55d01ae0ace',
  gitTreeState: 'archive',
  buildDate: '2026-11-23T21:03:32Z',
  goVersion: 'go1.23.5',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupVersionRef(group: string, version: string): { groupVersion: string; version: string } {
  return { groupVersion: `${group}/${version}`, version };
}

function apiGroup(group: string, versions: string[]): Record<string, unknown> {
  return { name: group, versions: versions.map((v) => groupVersionRef(group, v)), preferredVersion: groupVersionRef(group, versions[0]) };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map((g) => apiGroup(g.group, g.versions)) };
}

export function apiGroupDocument(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const entry = registry.groups().find((g) => g.group === group);
  if (!entry) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, entry.versions) };
}

function resourceEntry(def: ResourceDef): Record<string, unknown> {
  const entry: Record<string, unknown> = { name: def.resource, singularName: def.singularName, namespaced: def.namespaced, kind: def.kind, verbs: def.verbs };
  if (def.shortNames?.length) entry.shortNames = def.shortNames;
  if (def.categories?.length) entry.categories = def.categories;
  if (def.storageVersionHash) entry.storageVersionHash = def.storageVersionHash;
  return entry;
}

function subresourceEntry(def: ResourceDef, sub: 'status' | 'scale'): Record<string, unknown> {
  const entry: Record<string, unknown> = { name: `${def.resource}/${sub}`, singularName: '', namespaced: def.namespaced };
  if (sub === 'scale') Object.assign(entry, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  else entry.kind = def.kind;
  entry.verbs = ['get', 'patch', 'update'];
  return entry;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> {
  const entries = registry
    .inGroupVersion(group, version)
    .flatMap((def) => [resourceEntry(def), ...[...def.subresources].sort().map((sub) => subresourceEntry(def, sub))])
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: entries };
}

// Built-in resources leave responseKind's group/version empty; custom resources fill them in.
function aggregatedResource(def: ResourceDef, custom: boolean): Record<string, unknown> {
  const responseKind = { group: custom ? def.group : '', version: custom ? def.version : '', kind: def.kind };
  const entry: Record<string, unknown> = {
    resource: def.resource,
    responseKind,
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: def.singularName,
    verbs: def.verbs,
  };
  if (def.shortNames?.length) entry.shortNames = def.shortNames;
  if (def.categories?.length) entry.categories = def.categories;
  if (def.subresources.length) {
    entry.subresources = [...def.subresources].sort().map((sub) => ({
      subresource: sub,
      responseKind: sub === 'scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : responseKind,
      verbs: ['get', 'patch', 'update'],
    }));
  }
  return entry;
}

function aggregatedVersion(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> {
  const resources = registry
    .inGroupVersion(group, version)
    .sort((a, b) => a.resource.localeCompare(b.resource))
    .map((def) => aggregatedResource(def, !registry.isBuiltinGroup(group)));
  return { version, resources, freshness: 'Current' };
}

export function aggregatedCore(registry: ResourceRegistry): Record<string, unknown> {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: [{ metadata: { creationTimestamp: null }, versions: [aggregatedVersion(registry, '', 'v1')] }],
  };
}

export function aggregatedGroups(registry: ResourceRegistry): Record<string, unknown> {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: registry.groups().map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => aggregatedVersion(registry, g.group, v)),
    })),
  };
}
