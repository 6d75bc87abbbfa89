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
    hash = createHash('sha512')
      .update(JSON.stringify(gvDocument(registry, group, version)))
      .digest('hex')
      .slice(0, 128)
      .toUpperCase();
    if (documentHashes.size >= HASHES_KEPT) documentHashes.clear();
    documentHashes.set(resources, hash);
  }
  return hash;
}

// kubectl asks for the @ spelling, which Go's media type parser refuses in a response; it reads the dotted one.
const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const OPENAPI_V2_PROTOBUF_SENT = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V2_INFO = { title: 'Kubernetes', version: 'v1.32.13' };

// A string field of a protobuf message: tag, length, UTF-8 bytes (short values only: one-byte lengths).
function protobufString(field: number, value: Buffer | string): Buffer {
  const bytes = Buffer.from(value);
  return Buffer.concat([Buffer.from([(field << 3) | 2, bytes.length]), bytes]);
}

/**
 * /openapi/v2 without definitions: the schemas are in v3 (what kubectl explain reads). kubectl validates a List
 * against v2 on the client and skips kinds v2 does not define, so `kubectl create -f list.yaml` works, while
 * `kubectl apply` keeps computing strategic merge patches from its compiled-in types. kubectl asks for gnostic's
 * protobuf Document (swagger = 1, info = 2 with title = 1 and version = 2), other clients for JSON.
 */
export function openApiV2Document(accept: string | undefined): { body: Buffer; contentType: string } {
  if ((accept ?? '').includes(OPENAPI_V2_PROTOBUF)) {
    const info = Buffer.concat([protobufString(1, V2_INFO.title), protobufString(2, V2_INFO.version)]);
    return {
      body: Buffer.concat([protobufString(1, '2.0'), protobufString(2, info)]),
      contentType: OPENAPI_V2_PROTOBUF_SENT,
    };
  }
  return {
    body: Buffer.from(JSON.stringify({ swagger: '2.0', info: V2_INFO, paths: {}, definitions: {} })),
    contentType: 'application/json',
  };
}

/** The document at /openapi/<rest...>, or undefined for a path the server does not have. */
export function openApiDocument(registry: ResourceRegistry, rest: string[]): unknown {
  if (rest[0] !== 'v3') return undefined;
  if (rest.length === 1) {
    const paths: Record<string, unknown> = {};
    const groupVersions: Array<[string, string]> = [
      ['', 'v1'],
      ...registry.groups().flatMap((g) => g.versions.map((v): [string, string] => [g.group, v])),
    ];
    for (const [group, version] of groupVersions) {
      paths[gvPath(group, version)] = {
        serverRelativeURL: `/openapi/v3/${gvPath(group, version)}?hash=${gvHash(registry, group, version)}`,
      };
    }
    return { paths };
  }
  const [kind, ...gv] = rest.slice(1);
  if (kind === 'api' && gv.length === 1 && registry.hasGroupVersion('', gv[0])) return gvDocument(registry, '', gv[0]);
  if (kind === 'apis' && gv.length === 2 && registry.hasGroupVersion(gv[0], gv[1]))
    return gvDocument(registry, gv[0], gv[1]);
  return undefined;
}
