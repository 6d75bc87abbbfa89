// The Kubernetes REST protocol over HTTP: authentication, injected faults, then discovery or a resource.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from './cluster.ts';
import type { RequestFaults } from './faults.ts';
import { pageNotFound, sendJson, sendStatus } from './http-io.ts';
import { handleResource } from './resource-handler.ts';
import { route, type ResourceTarget } from './routes.ts';
import { SIMULATOR_USER } from './reviews.ts';
import { anonymousForbidden, forbidden, methodNotAllowed, StatusError, unauthorized } from './status.ts';
import type { WatchHub } from './watch.ts';

export interface ApiContext {
  cluster: Cluster;
  watches: WatchHub;
  faults: RequestFaults;
  token: string;
  serverAddress: () => string;
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
  const found = route(ctx.cluster.registry, ctx.serverAddress(), url.pathname, req.headers.accept);
  const auth = req.headers.authorization;
  if (auth === undefined && !PUBLIC_PATHS.has(url.pathname)) {
    // No credentials is the anonymous user, whom the default RBAC rules forbid all but the public paths.
    if (found.kind !== 'resource') throw anonymousForbidden('get', '', '', undefined, url.pathname);
    const { def, namespace } = found.target;
    throw anonymousForbidden(verbOf(req.method ?? 'GET', found.target, url.searchParams), def.group, def.resource, namespace);
  }
  if (auth !== undefined && auth !== `Bearer ${ctx.token}`) throw unauthorized();
  if (found.kind === 'resource' && ctx.faults.isForbidden(found.target.def.group, found.target.def.resource)) {
    const { def, namespace } = found.target;
    throw forbidden(SIMULATOR_USER.username, verbOf(req.method ?? 'GET', found.target, url.searchParams), def.group, def.resource, namespace);
  }
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
