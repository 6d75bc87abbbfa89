// The Kubernetes REST protocol over HTTP: authentication, discovery, routing to resources, content negotiation.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { load } from 'js-yaml';
import type { Cluster, DeleteOptions, Subresource, WriteContext } from './cluster.ts';
import { aggregatedCore, aggregatedGroups, apiGroupDocument, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from './discovery.ts';
import type { RequestFaults } from './faults.ts';
import { openApiDocument } from './openapi.ts';
import { apiVersionOf } from './object-shape.ts';
import { parsePatchBody, patchTypeOf } from './patches.ts';
import { reviewResponse } from './reviews.ts';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf.ts';
import { bothSelectors, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { anonymousForbidden, badRequest, methodNotAllowed, StatusError, success, unauthorized, type StatusBody } from './status.ts';
import { table, type IncludeObject } from './table.ts';
import type { KubeObject, ResourceDef } from './types.ts';
import type { WatchHub } from './watch.ts';

export interface ApiContext {
  cluster: Cluster;
  watches: WatchHub;
  faults: RequestFaults;
  token: string;
  serverAddress: () => string;
}

const AGGREGATED_DISCOVERY = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body) + '\n';
  res.writeHead(code, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendStatus(res: ServerResponse, status: StatusBody, headers: Record<string, string> = {}): void {
  sendJson(res, status.code ?? 500, status, 'application/json', headers);
}

function pageNotFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache, private' });
  res.end('404 page not found\n');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseObjectBody(body: Buffer, contentType: string | undefined): KubeObject {
  const type = (contentType ?? 'application/json').split(';')[0].trim();
  if (type === PROTOBUF_CONTENT_TYPE) return decodeProtobufObject(body);
  try {
    const text = body.toString('utf8');
    const value = type === 'application/yaml' ? load(text) : JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as KubeObject;
  } catch (error) {
    throw badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (${(error as Error).message.split('\n')[0]})`);
  }
}

/** The body of a create-only request, or undefined when it is in an encoding the simulator does not read. */
function readableBody(body: Buffer, contentType: string | undefined): KubeObject | undefined {
  try {
    return parseObjectBody(body, contentType);
  } catch (error) {
    if (error instanceof StatusError && error.code === 415) return undefined;
    throw error;
  }
}

/** The real server's default field manager: the User-Agent up to its first '/'. */
function defaultManager(userAgent: string | undefined): string {
  return (userAgent ?? 'unknown').split('/')[0].slice(0, 128) || 'unknown';
}

function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '');
}

interface ResourceTarget {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  watchPath: boolean;
}

type Route =
  | { kind: 'json'; body: unknown; contentType?: string }
  | { kind: 'text'; body: string }
  | { kind: 'resource'; target: ResourceTarget }
  | { kind: 'notFound' };

function route(ctx: ApiContext, path: string, accept: string | undefined): Route {
  const registry = ctx.cluster.registry;
  const segments = path.split('/').filter((s) => s !== '').map(decodeURIComponent);
  const aggregated = (accept ?? '').includes('as=APIGroupDiscoveryList');
  if (path === '/version' || path === '/version/') return { kind: 'json', body: SERVER_VERSION };
  if (['/healthz', '/readyz', '/livez'].includes(path)) return { kind: 'text', body: 'ok' };
  if (segments[0] === 'openapi') {
    const doc = openApiDocument(registry, segments.slice(1));
    return doc ? { kind: 'json', body: doc } : { kind: 'notFound' };
  }
  if (segments[0] === 'api') {
    if (segments.length === 1) {
      return aggregated ? { kind: 'json', body: aggregatedCore(registry), contentType: AGGREGATED_DISCOVERY } : { kind: 'json', body: apiVersions(ctx.serverAddress()) };
    }
    if (segments[1] !== 'v1') return { kind: 'notFound' };
    return resourceRoute(ctx, '', 'v1', segments.slice(2));
  }
  if (segments[0] === 'apis') {
    if (segments.length === 1) {
      return aggregated ? { kind: 'json', body: aggregatedGroups(registry), contentType: AGGREGATED_DISCOVERY } : { kind: 'json', body: apiGroupList(registry) };
    }
    if (segments.length === 2) {
      const doc = apiGroupDocument(registry, segments[1]);
      return doc ? { kind: 'json', body: doc } : { kind: 'notFound' };
    }
    if (!registry.hasGroupVersion(segments[1], segments[2])) return { kind: 'notFound' };
    return resourceRoute(ctx, segments[1], segments[2], segments.slice(3));
  }
  return { kind: 'notFound' };
}

function resourceRoute(ctx: ApiContext, group: string, version: string, rest: string[]): Route {
  const registry = ctx.cluster.registry;
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
  if (subresource !== undefined && !(def.subresources as string[]).includes(subresource) && !(def.resource === 'namespaces' && subresource === 'finalize')) {
    return { kind: 'notFound' };
  }
  return { kind: 'resource', target: { def, namespace, name, subresource, watchPath } };
}

const VERB_OF_METHOD: Record<string, string> = { GET: 'get', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export function createRequestHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      const status = error instanceof StatusError ? error.status : new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String((error as Error)?.message ?? error), reason: 'InternalError', code: 500 }).status;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendStatus(res, status);
    });
  };
}

const PUBLIC_PATHS = new Set(['/version', '/version/', '/healthz', '/livez', '/readyz']);

/** The RBAC verb of a request, as the authorizer names it. */
function verbOf(method: string, target: ResourceTarget, query: URLSearchParams): string {
  if (method === 'GET') {
    if (target.name !== undefined) return 'get';
    return target.watchPath || ['1', 'true'].includes(query.get('watch') ?? '') ? 'watch' : 'list';
  }
  if (method === 'DELETE') return target.name === undefined ? 'deletecollection' : 'delete';
  return VERB_OF_METHOD[method] ?? 'get';
}

async function handle(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const found = route(ctx, url.pathname, req.headers.accept);
  const auth = req.headers.authorization;
  if (auth === undefined && !PUBLIC_PATHS.has(url.pathname)) {
    // No credentials is the anonymous user, whom the default RBAC rules forbid all but the public paths.
    if (found.kind !== 'resource') throw anonymousForbidden('get', '', '', undefined, url.pathname);
    const { def, namespace } = found.target;
    throw anonymousForbidden(verbOf(req.method ?? 'GET', found.target, url.searchParams), def.group, def.resource, namespace);
  }
  if (auth !== undefined && auth !== `Bearer ${ctx.token}`) throw unauthorized();
  const fault = ctx.faults.take();
  if (ctx.faults.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, ctx.faults.delayMs));
  if (fault) {
    sendStatus(res, fault.error.status, fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {});
    return;
  }
  if (found.kind === 'notFound') {
    pageNotFound(res);
    return;
  }
  if (found.kind === 'json' || found.kind === 'text') {
    if (req.method !== 'GET') throw methodNotAllowed();
    if (found.kind === 'json') sendJson(res, 200, found.body, found.contentType);
    else {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(found.body);
    }
    return;
  }
  await handleResource(ctx, req, res, url.searchParams, found.target);
}

function writeContext(req: IncomingMessage, query: URLSearchParams): WriteContext {
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((v) => v !== 'All')) throw badRequest(`Invalid dryRun value: ${dryRun.join(',')}; valid values are: All`);
  return { dryRun: dryRun.length > 0, manager: query.get('fieldManager') || defaultManager(req.headers['user-agent']) };
}

function requireVerb(def: ResourceDef, verb: string): void {
  if (!def.verbs.includes(verb)) throw methodNotAllowed();
}

async function handleResource(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, target: ResourceTarget): Promise<void> {
  const { cluster } = ctx;
  const { def, namespace, name } = target;
  const subresource = target.subresource as Subresource | 'finalize' | undefined;
  const method = req.method ?? 'GET';
  const serve = (o: KubeObject): KubeObject => cluster.serve(def, o);
  const asTable = wantsTable(req.headers.accept);
  const include = (query.get('includeObject') ?? 'Metadata') as IncludeObject;
  const now = cluster.now();

  if (method === 'GET' && name === undefined) {
    const labelSelector = parseLabelSelector(query.get('labelSelector'));
    const fieldSelector = parseFieldSelector(query.get('fieldSelector'));
    const watch = target.watchPath || ['1', 'true'].includes(query.get('watch') ?? '');
    if (watch) {
      requireVerb(def, 'watch');
      const rv = query.get('resourceVersion');
      const timeout = query.get('timeoutSeconds');
      ctx.watches.serve(
        cluster,
        {
          def,
          namespace,
          selector: bothSelectors(labelSelector, fieldSelector),
          fromRevision: rv && rv !== '0' ? parseRevision(rv) : undefined,
          sendInitialEvents: query.get('sendInitialEvents') === 'true',
          bookmarks: query.get('allowWatchBookmarks') === 'true',
          timeoutSeconds: timeout ? Number(timeout) : undefined,
          render: asTable ? (o, first) => table(def, [o], { include, now: cluster.now(), metadata: { resourceVersion: o.metadata.resourceVersion }, withColumns: first, serve }) : undefined,
        },
        res,
      );
      return;
    }
    requireVerb(def, 'list');
    const limit = query.get('limit');
    const result = cluster.list(def, namespace, { labelSelector, fieldSelector, limit: limit ? Number(limit) : undefined, continueToken: query.get('continue') ?? undefined });
    const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
    if (result.continueToken) metadata.continue = result.continueToken;
    if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
    if (asTable) {
      sendJson(res, 200, table(def, result.items, { include, now, metadata, serve }));
      return;
    }
    sendJson(res, 200, { kind: def.listKind, apiVersion: apiVersionOf(def), metadata, items: result.items });
    return;
  }

  if (method === 'GET') {
    requireVerb(def, 'get');
    if (subresource === 'scale') {
      sendJson(res, 200, cluster.getScale(def, namespace, name!));
      return;
    }
    const object = cluster.get(def, namespace, name!);
    if (asTable) {
      sendJson(res, 200, table(def, [object], { include, now, metadata: { resourceVersion: object.metadata.resourceVersion }, serve }));
      return;
    }
    sendJson(res, 200, serve(object));
    return;
  }

  const write = writeContext(req, query);
  const body = await readBody(req);
  const bodyText = (): string => body.toString('utf8');

  if (method === 'POST' && name === undefined) {
    requireVerb(def, 'create');
    if (!def.verbs.includes('get')) {
      sendJson(res, 201, reviewResponse(def, readableBody(body, req.headers['content-type']), ctx.token));
      return;
    }
    const object = parseObjectBody(body, req.headers['content-type']);
    sendJson(res, 201, serve(cluster.create(def, namespace, object, write)));
    return;
  }

  if (method === 'PUT' && name !== undefined) {
    requireVerb(def, 'update');
    const object = parseObjectBody(body, req.headers['content-type']);
    if (subresource === 'scale') {
      sendJson(res, 200, cluster.updateScale(def, namespace, name, object, write));
      return;
    }
    const sub = subresource === 'finalize' ? undefined : subresource;
    sendJson(res, 200, serve(cluster.update(def, namespace, name, object, write, sub)));
    return;
  }

  if (method === 'PATCH' && name !== undefined) {
    requireVerb(def, 'patch');
    const type = patchTypeOf(req.headers['content-type']);
    const patch = parsePatchBody(type, bodyText());
    if (subresource === 'scale') {
      sendJson(res, 200, cluster.patchScale(def, namespace, name, type, patch, write));
      return;
    }
    const sub = subresource === 'finalize' ? undefined : subresource;
    const existed = type !== 'apply' || cluster.find(def, namespace, name) !== undefined;
    const force = ['true', '1'].includes(query.get('force') ?? '');
    if (type === 'apply' && !query.get('fieldManager')) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
    const result = cluster.patch(def, namespace, name, type, patch, write, { subresource: sub, force });
    sendJson(res, existed ? 200 : 201, serve(result));
    return;
  }

  if (method === 'DELETE' && name !== undefined) {
    requireVerb(def, 'delete');
    const options = parseDeleteOptions(bodyText());
    if (options.dryRun?.includes('All')) write.dryRun = true;
    const propagationPolicy = (query.get('propagationPolicy') ?? options.propagationPolicy) as DeleteOptions['propagationPolicy'];
    const { object, gone } = cluster.delete(def, namespace, name, write, { preconditions: options.preconditions, propagationPolicy });
    if (gone && !write.dryRun && cluster.registry.isBuiltinGroup(def.group)) {
      sendJson(res, 200, success(def.group, def.resource, name, String(object.metadata.uid)));
      return;
    }
    sendJson(res, 200, serve(object));
    return;
  }

  if (method === 'DELETE') {
    requireVerb(def, 'deletecollection');
    const result = cluster.list(def, namespace, { labelSelector: parseLabelSelector(query.get('labelSelector')), fieldSelector: parseFieldSelector(query.get('fieldSelector')) });
    const deleted = result.items.map((o) => cluster.delete(def, o.metadata.namespace as string | undefined, String(o.metadata.name), write).object);
    sendJson(res, 200, { kind: def.listKind, apiVersion: apiVersionOf(def), metadata: { resourceVersion: String(cluster.store.revision) }, items: deleted });
    return;
  }
  throw methodNotAllowed();
}

function parseDeleteOptions(text: string): DeleteOptions & { dryRun?: string[] } {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as DeleteOptions & { dryRun?: string[] };
  } catch {
    throw badRequest('the body of a DELETE must be a DeleteOptions object');
  }
}

function parseRevision(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw badRequest(`invalid resource version: ${text}`);
  return value;
}
