// OpenAPI v3, only as far as kubectl reads it: the index of group-versions, and per group-version the PATCH
// operations that name their kind and accept `fieldValidation` (so kubectl validates server-side), and the
// schemas of the built-in kinds (for `kubectl explain`).
import { createHash } from 'node:crypto';
import { groupVersionSchemas } from './openapi-schemas.ts';
import type { ResourceRegistry } from './registry.ts';
import type { ResourceDef } from './types.ts';

const PATCH_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
  name,
  in: 'query',
  description: `${name} as the Kubernetes API defines it`,
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function gvDocument(registry: ResourceRegistry, group: string, version: string): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  for (const def of registry.inGroupVersion(group, version)) {
    if (!def.verbs.includes('patch')) continue;
    const scope = def.namespaced ? 'namespaces/{namespace}/' : '';
    paths[`/${gvPath(group, version)}/${scope}${def.resource}/{name}`] = { patch: patchOperation(def) };
  }
  const schemas = groupVersionSchemas(registry.inGroupVersion(group, version));
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.13' }, paths, components: { schemas } };
}

function patchOperation(def: ResourceDef): Record<string, unknown> {
  return {
    operationId: `patch${def.kind}`,
    parameters: PATCH_PARAMETERS,
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': { group: def.group, version: def.version, kind: def.kind },
  };
}

// The document is made from the group-version's resources alone, so its hash is kept per resources (custom
// resources come and go, so the map starts again past a size).
const documentHashes = new Map<string, string>();
const HASHES_KEPT = 1_000;

// Of the document itself, as the real server's: kubectl caches documents by URL, hash included.
function gvHash(registry: ResourceRegistry, group: string, version: string): string {
  const resources = JSON.stringify(registry.inGroupVersion(group, version));
  let hash = documentHashes.get(resources);
  if (hash === undefined) {
    hash = createHash('sha512').update(JSON.stringify(gvDocument(registry, group, version))).digest('hex').slice(0, 128).toUpperCase();
    if (documentHashes.size >= HASHES_KEPT) documentHashes.clear();
    documentHashes.set(resources, hash);
  }
  return hash;
}

/** The document at /openapi/<rest...>, or undefined for a path the server does not have. */
export function openApiDocument(registry: ResourceRegistry, rest: string[]): unknown {
  if (rest[0] !== 'v3') return undefined;
  if (rest.length === 1) {
    const paths: Record<string, unknown> = {};
    const groupVersions: Array<[string, string]> = [['', 'v1'], ...registry.groups().flatMap((g) => g.versions.map((v): [string, string] => [g.group, v]))];
    for (const [group, version] of groupVersions) {
      paths[gvPath(group, version)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${gvHash(registry, group, version)}` };
    }
    return { paths };
  }
  const [kind, ...gv] = rest.slice(1);
  if (kind === 'api' && gv.length === 1 && registry.hasGroupVersion('', gv[0])) return gvDocument(registry, '', gv[0]);
  if (kind === 'apis' && gv.length === 2 && registry.hasGroupVersion(gv[0], gv[1])) return gvDocument(registry, gv[0], gv[1]);
  return undefined;
}
