// The Kubernetes REST protocol over HTTP: authentication (and impersonation), authorization, injected faults, then
// discovery or a resource.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Authenticator } from './authentication.ts';
import type { RbacAuthorizer } from './authorizer.ts';
import type { Cluster } from './cluster.ts';
import { sendBrokenAnswer, type RequestFaults } from './faults.ts';
import { pageNotFound, sendJson, sendStatus } from './http-io.ts';
import { actingUser } from './impersonation.ts';
import { requestAttributes } from './request-attributes.ts';
import { handleResource } from './resource-handler.ts';
import { route } from './routes.ts';
import type { ServiceAccountTokens } from './service-account-tokens.ts';
import { forbiddenRequest, methodNotAllowed, StatusError } from './status.ts';
import { isPrivileged } from './users.ts';
import type { WatchHub } from './watch.ts';

export interface ApiContext {
  cluster: Cluster;
  authenticator: Authenticator;
  authorizer: RbacAuthorizer;
  tokens: ServiceAccountTokens;
  watches: WatchHub;
  faults: RequestFaults;
  serverAddress: () => string;
}

export function createRequestHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      const status =
        error instanceof StatusError
          ? error.status
          : new StatusError({
              kind: 'Status',
              apiVersion: 'v1',
              metadata: {},
              status: 'Failure',
              message: String((error as Error)?.message ?? error),
              reason: 'InternalError',
              code: 500,
            }).status;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendStatus(res, status);
    });
  };
}

async function handle(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const method = req.method ?? 'GET';
  const user = actingUser(ctx.authenticator.authenticate(req.headers.authorization), req.headers, ctx.authorizer);
  // A cluster admin passes without a look at the request, so the admin's requests cost nothing more.
  if (!isPrivileged(user)) {
    const request = requestAttributes(method, url.pathname, url.searchParams);
    const decision = ctx.authorizer.authorize(user, request);
    if (!decision.allowed) throw forbiddenRequest(user.username, request, decision.reason);
  }
  const found = route(ctx.cluster.registry, ctx.serverAddress(), url.pathname, req.headers.accept);
  if (found.kind === 'resource' && ctx.faults.isForbidden(found.target.def.group, found.target.def.resource)) {
    throw forbiddenRequest(user.username, requestAttributes(method, url.pathname, url.searchParams));
  }
  const broken =
    found.kind === 'resource' && ctx.faults.brokenAnswer(found.target.def.group, found.target.def.resource);
  if (broken) {
    await sendBrokenAnswer(res, broken);
    return;
  }
  const fault = ctx.faults.take();
  if (ctx.faults.delayMs > 0) await ctx.cluster.clock.sleep(ctx.faults.delayMs);
  if (fault) {
    sendStatus(
      res,
      fault.error.status,
      fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {},
    );
    return;
  }
  if (found.kind === 'notFound') {
    pageNotFound(res);
    return;
  }
  if (found.kind === 'json' || found.kind === 'text') {
    if (method !== 'GET') throw methodNotAllowed();
    if (found.kind === 'json') sendJson(res, 200, found.body, found.contentType);
    else {
      res.writeHead(200, { 'Content-Type': found.contentType ?? 'text/plain; charset=utf-8' });
      res.end(found.body);
    }
    return;
  }
  await handleResource(ctx, user, req, res, url.searchParams, found.target);
}
