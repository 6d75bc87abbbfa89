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
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

interface ExtraSubresource {
  subresource: string;
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

// Subresources a real server lists that the simulator names but does not serve (logs, exec, proxies, ...).
const DISCOVERY_ONLY_SUBRESOURCES: Record<string, ExtraSubresource[]> = {
  '/namespaces': [{ subresource: 'finalize', kind: 'Namespace', verbs: ['update'] }],
  '/nodes': [{ subresource: 'proxy', kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }],
  '/pods': [
    { subresource: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { subresource: 'binding', kind: 'Binding', verbs: ['create'] },
    { subresource: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    { subresource: 'eviction', kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
    { subresource: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { subresource: 'log', kind: 'Pod', verbs: ['get'] },
    { subresource: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    { subresource: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  ],
  '/serviceaccounts': [
    { subresource: 'token', kind: 'TokenRequest', verbs: ['create'], group: 'authentication.k8s.io', version: 'v1' },
  ],
  '/services': [
    { subresource: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  ],
  'certificates.k8s.io/certificatesigningrequests': [
    { subresource: 'approval', kind: 'CertificateSigningRequest', verbs: ['get', 'patch', 'update'] },
  ],
};

/** Every subresource discovery lists for a resource, in name order. */
function subresourcesOf(def: ResourceDef, builtin: boolean): ExtraSubresource[] {
  const served: ExtraSubresource[] = def.subresources.map((sub) =>
    sub === 'scale'
      ? { subresource: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' }
      : { subresource: sub, kind: def.kind, verbs: ['get', 'patch', 'update'] },
  );
  const extra = builtin ? (DISCOVERY_ONLY_SUBRESOURCES[`${def.group}/${def.resource}`] ?? []) : [];
  return [...served, ...extra].sort((a, b) => a.subresource.localeCompare(b.subresource));
}

function groupVersionRef(group: string, version: string): { groupVersion: string; version: string } {
  return { groupVersion: `${group}/${version}`, version };
}

function apiGroup(group: string, versions: string[]): Record<string, unknown> {
  return {
    name: group,
    versions: versions.map((v) => groupVersionRef(group, v)),
    preferredVersion: groupVersionRef(group, versions[0]),
  };
}

export function apiGroupList(registry: ResourceRegistry): Record<string, unknown> {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: registry.groups().map((g) => apiGroup(g.group, g.versions)),
  };
}

export function apiGroupDocument(registry: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const entry = registry.groups().find((g) => g.group === group);
  if (!entry) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, entry.versions) };
}

function resourceEntry(def: ResourceDef): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    name: def.resource,
    singularName: def.singularName,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: def.verbs,
  };
  if (def.shortNames?.length) entry.shortNames = def.shortNames;
  if (def.categories?.length) entry.categories = def.categories;
  if (def.storageVersionHash) entry.storageVersionHash = def.storageVersionHash;
  return entry;
}

function subresourceEntry(def: ResourceDef, sub: ExtraSubresource): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    name: `${def.resource}/${sub.subresource}`,
    singularName: '',
    namespaced: def.namespaced,
  };
  if (sub.group) Object.assign(entry, { group: sub.group, version: sub.version });
  entry.kind = sub.kind;
  entry.verbs = sub.verbs;
  return entry;
}

export function apiResourceList(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> {
  const builtin = registry.isBuiltinGroup(group);
  const entries = registry
    .inGroupVersion(group, version)
    .flatMap((def) => [resourceEntry(def), ...subresourcesOf(def, builtin).map((sub) => subresourceEntry(def, sub))])
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  // The core group's document has no apiVersion; named groups' documents do.
  const head = group ? { kind: 'APIResourceList', apiVersion: 'v1' } : { kind: 'APIResourceList' };
  return { ...head, groupVersion: group ? `${group}/${version}` : version, resources: entries };
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
  const subresources = subresourcesOf(def, !custom);
  if (subresources.length) {
    entry.subresources = subresources.map((sub) => ({
      subresource: sub.subresource,
      responseKind: sub.group
        ? { group: sub.group, version: sub.version, kind: sub.kind }
        : { ...responseKind, kind: sub.kind },
      verbs: sub.verbs,
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
