// A file's path says what it holds (scope, namespace, resource, name); a file anyone pushed may say
// otherwise inside. Every reader that acts on a manifest or shows it as the object its path names
// checks both agree: a ClusterRole committed under `shop/` is not a namespaced object of shop.
import type { ObjectIdentity } from './object-path.ts';

/** What the cluster (or the table of built-in kinds) says of the path's resource; unknown parts are not checked. */
export interface ExpectedResource {
  kind?: string;
  namespaced?: boolean;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

function scopeOf(identity: ObjectIdentity): string {
  return identity.namespace === undefined
    ? 'the cluster scope (_cluster/)'
    : `namespace ${JSON.stringify(identity.namespace)}`;
}

/**
 * Why the manifest is not the object its path names, as a sentence starting "its manifest", or
 * undefined when it is. `expected` adds the checks only the served resource can answer (kind, scope).
 */
export function identityMismatch(
  object: object,
  identity: ObjectIdentity,
  expected: ExpectedResource = {},
): string | undefined {
  const manifest = object as Record<string, unknown>;
  const metadata = manifest.metadata;
  if (!isMap(metadata)) return 'its manifest has no metadata.';
  if (metadata.name !== identity.name)
    return `its manifest is named ${JSON.stringify(metadata.name)}, not ${JSON.stringify(identity.name)} as its path says.`;
  const group = groupOf(manifest.apiVersion);
  if (group !== identity.group) {
    return `its manifest's apiVersion ${JSON.stringify(manifest.apiVersion)} is not of the API group ${JSON.stringify(identity.group)} its folder says.`;
  }
  if (expected.kind !== undefined && manifest.kind !== expected.kind) {
    return `its manifest is of kind ${JSON.stringify(manifest.kind)}, not ${expected.kind} as its folder says.`;
  }
  const kind = typeof manifest.kind === 'string' ? manifest.kind : identity.resource;
  if (expected.namespaced === false && identity.namespace !== undefined) {
    return `its manifest is a ${kind}, which is cluster-scoped, but its path puts it in ${scopeOf(identity)}.`;
  }
  if (expected.namespaced === true && identity.namespace === undefined) {
    return `its manifest is a ${kind}, which lives in a namespace, but its path puts it in ${scopeOf(identity)}.`;
  }
  if (metadata.namespace !== undefined && metadata.namespace !== identity.namespace) {
    return `its manifest is in namespace ${JSON.stringify(metadata.namespace)}, but its path puts it in ${scopeOf(identity)}.`;
  }
  return undefined;
}
