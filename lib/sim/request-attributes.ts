// What a request asks to do, read from its method, path and query alone (kube-apiserver's RequestInfoFactory):
// the authorizer decides on this before anything looks whether the resource exists.

export interface ResourceAttributes {
  resourceRequest: true;
  verb: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string; // '' for a cluster-scoped or all-namespaces request
  resource: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributes {
  resourceRequest: false;
  verb: string;
  path: string;
}

export type RequestAttributes = ResourceAttributes | NonResourceAttributes;

const VERB_OF_METHOD: Record<string, string> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};
// Subresources of a namespace itself, not resources inside it: /api/v1/namespaces/NAME/status.
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function requestAttributes(method: string, path: string, query: URLSearchParams): RequestAttributes {
  const nonResource: NonResourceAttributes = { resourceRequest: false, verb: method.toLowerCase(), path };
  let parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(safeDecode);
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return nonResource;
  let apiGroup = '';
  if (parts[0] === 'apis') {
    if (parts.length < 4) return nonResource;
    apiGroup = parts[1];
    parts = parts.slice(2);
  } else parts = parts.slice(1);
  const apiVersion = parts[0];
  parts = parts.slice(1);

  let verb: string;
  if (parts[0] === 'watch' && parts.length >= 2) {
    verb = 'watch';
    parts = parts.slice(1);
  } else verb = VERB_OF_METHOD[method] ?? '';

  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
  }
  const attributes: ResourceAttributes = {
    resourceRequest: true,
    verb,
    apiGroup,
    apiVersion,
    namespace,
    resource: parts[0] ?? '',
  };
  if (parts.length >= 2) attributes.name = parts[1];
  if (parts.length >= 3) attributes.subresource = parts[2];

  if (attributes.name === undefined && verb === 'get') {
    attributes.verb = ['1', 'true'].includes(query.get('watch') ?? '') ? 'watch' : 'list';
    // `kubectl get cm NAME --watch` lists with metadata.name=NAME: that is a request for one name.
    const byName = /^metadata\.name==?([^,]+)$/.exec(query.get('fieldSelector') ?? '');
    if (byName) attributes.name = byName[1];
  }
  if (attributes.name === undefined && verb === 'delete') attributes.verb = 'deletecollection';
  return attributes;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
