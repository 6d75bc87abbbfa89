// Which document or resource a URL path names (discovery, OpenAPI, /api/v1/..., /apis/<group>/<version>/...).
import {
  aggregatedCore,
  aggregatedGroups,
  apiGroupDocument,
  apiGroupList,
  apiResourceList,
  apiVersions,
  SERVER_VERSION,
} from './discovery.ts';
import { openApiDocument, openApiV2Document } from './openapi.ts';
import type { ResourceRegistry } from './registry.ts';
import type { ResourceDef } from './types.ts';

const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export interface ResourceTarget {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
}

export type Route =
  | { kind: 'json'; body: unknown; contentType?: string }
  | { kind: 'text'; body: string | Buffer; contentType?: string }
  | { kind: 'resource'; target: ResourceTarget }
  | { kind: 'notFound' };

/** `serverAddress` is what /api reports clients can reach the server at. */
export function route(
  registry: ResourceRegistry,
  serverAddress: string,
  path: string,
  accept: string | undefined,
): Route {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const aggregated = (accept ?? '').includes('as=APIGroupDiscoveryList');
  if (path === '/version' || path === '/version/') return { kind: 'json', body: SERVER_VERSION };
  if (['/healthz', '/readyz', '/livez'].includes(path)) return { kind: 'text', body: 'ok' };
  if (segments[0] === 'openapi') {
    if (segments.length === 2 && segments[1] === 'v2') return { kind: 'text', ...openApiV2Document(accept) };
    const doc = openApiDocument(registry, segments.slice(1));
    return doc ? { kind: 'json', body: doc } : { kind: 'notFound' };
  }
  if (segments[0] === 'api') {
    if (segments.length === 1) {
      return aggregated
        ? { kind: 'json', body: aggregatedCore(registry), contentType: AGGREGATED_DISCOVERY }
        : { kind: 'json', body: apiVersions(serverAddress) };
    }
    if (segments[1] !== 'v1') return { kind: 'notFound' };
    return resourceRoute(registry, '', 'v1', segments.slice(2));
  }
  if (segments[0] === 'apis') {
    if (segments.length === 1) {
      return aggregated
        ? { kind: 'json', body: aggregatedGroups(registry), contentType: AGGREGATED_DISCOVERY }
        : { kind: 'json', body: apiGroupList(registry) };
    }
    if (segments.length === 2) {
      const doc = apiGroupDocument(registry, segments[1]);
      return doc ? { kind: 'json', body: doc } : { kind: 'notFound' };
    }
    if (!registry.hasGroupVersion(segments[1], segments[2])) return { kind: 'notFound' };
    return resourceRoute(registry, segments[1], segments[2], segments.slice(3));
  }
  return { kind: 'notFound' };
}

/** Subresources that are an action on the object rather than a view of it: a namespace's finalize, a service account's token. */
function isActionSubresource(def: ResourceDef, subresource: string): boolean {
  if (def.group !== '') return false;
  return (
    (def.resource === 'namespaces' && subresource === 'finalize') ||
    (def.resource === 'serviceaccounts' && subresource === 'token')
  );
}

function resourceRoute(registry: ResourceRegistry, group: string, version: string, rest: string[]): Route {
  if (rest.length === 0) return { kind: 'json', body: apiResourceList(registry, group, version) };
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && registry.find(group, version, rest[2])?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return { kind: 'notFound' };
  const def = registry.find(group, version, rest[0]);
  if (!def) return { kind: 'notFound' };
  const [, name, subresource] = rest;
  if (def.namespaced && namespace === undefined && name !== undefined) return { kind: 'notFound' };
  if (
    subresource !== undefined &&
    !(def.subresources as string[]).includes(subresource) &&
    !isActionSubresource(def, subresource)
  ) {
    return { kind: 'notFound' };
  }
  return { kind: 'resource', target: { def, namespace, name, subresource, watchPath } };
}
