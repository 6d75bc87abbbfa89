// The verbs on one resource: get, list, watch, create, update, patch, delete, deletecollection, and the
// status and scale subresources, with Table rendering for kubectl.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Admission, DeleteOptions, Subresource, WriteContext } from './cluster.ts';
import type { ApiContext } from './http-api.ts';
import { encodedJson, listJson, servedJson } from './encoding.ts';
import { validateFieldManager } from './field-manager.ts';
import { parseObjectBody, readableBody, readBody, sendEncoded, sendJson } from './http-io.ts';
import { timestamp } from './object-shape.ts';
import { parsePatchBody, patchTypeOf } from './patches.ts';
import { escalationCheck } from './rbac-admission.ts';
import { reviewResponse } from './reviews.ts';
import type { ResourceTarget } from './routes.ts';
import { bothSelectors, parseFieldSelector, parseLabelSelector } from './selectors.ts';
import { badRequest, methodNotAllowed, success } from './status.ts';
import { table, type IncludeObject } from './table.ts';
import { tokenRequestResponse } from './token-request.ts';
import type { KubeObject, ResourceDef } from './types.ts';
import type { UserInfo } from './users.ts';

/** The real server's default field manager: the User-Agent up to its first '/'. */
function defaultManager(userAgent: string | undefined): string {
  return (userAgent ?? 'unknown').split('/')[0].slice(0, 128) || 'unknown';
}

function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '') && /g=meta\.k8s\.io/.test(accept ?? '');
}

function writeContext(
  req: IncomingMessage,
  query: URLSearchParams,
  admit: Admission | undefined,
  name: string | undefined,
): WriteContext {
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((v) => v !== 'All'))
    throw badRequest(`Invalid dryRun value: ${dryRun.join(',')}; valid values are: All`);
  const fieldManager = query.get('fieldManager');
  if (fieldManager) validateFieldManager(fieldManager, req.method ?? 'POST', name);
  return {
    dryRun: dryRun.length > 0,
    manager: query.get('fieldManager') || defaultManager(req.headers['user-agent']),
    admit,
  };
}

function requireVerb(def: ResourceDef, verb: string): void {
  if (!def.verbs.includes(verb)) throw methodNotAllowed();
}

/** `user` is who sent the request, already authorised for it. */
export async function handleResource(
  ctx: ApiContext,
  user: UserInfo,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  target: ResourceTarget,
): Promise<void> {
  if ((req.method ?? 'GET') === 'GET') readResource(ctx, req, res, query, target);
  else await writeResource(ctx, user, req, res, query, target);
}

function readResource(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  target: ResourceTarget,
): void {
  const { cluster } = ctx;
  const { def, namespace, name } = target;
  const serve = (o: KubeObject): KubeObject => cluster.serve(def, o);
  const asTable = wantsTable(req.headers.accept);
  const include = (query.get('includeObject') ?? 'Metadata') as IncludeObject;
  const now = cluster.now();

  if (name === undefined) {
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
          encode: asTable
            ? (o, first) =>
                encodedJson(
                  table(def, [o], {
                    include,
                    now: cluster.now(),
                    metadata: { resourceVersion: o.metadata.resourceVersion },
                    withColumns: first,
                    serve,
                  }),
                )
            : undefined,
        },
        res,
      );
      return;
    }
    requireVerb(def, 'list');
    const limit = query.get('limit');
    const result = cluster.list(def, namespace, {
      labelSelector,
      fieldSelector,
      limit: limit ? Number(limit) : undefined,
      continueToken: query.get('continue') ?? undefined,
    });
    const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
    if (result.continueToken) metadata.continue = result.continueToken;
    if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
    if (asTable) {
      sendJson(res, 200, table(def, result.items, { include, now, metadata, serve }));
      return;
    }
    sendEncoded(res, 200, listJson(def, metadata, result.items));
    return;
  }

  requireVerb(def, 'get');
  if (target.subresource === 'scale') {
    sendJson(res, 200, cluster.getScale(def, namespace, name!));
    return;
  }
  const object = cluster.get(def, namespace, name!);
  if (asTable) {
    sendJson(
      res,
      200,
      table(def, [object], { include, now, metadata: { resourceVersion: object.metadata.resourceVersion }, serve }),
    );
    return;
  }
  sendEncoded(res, 200, servedJson(def, object));
}

async function writeResource(
  ctx: ApiContext,
  user: UserInfo,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  target: ResourceTarget,
): Promise<void> {
  const { cluster } = ctx;
  const { def, namespace, name } = target;
  const subresource = target.subresource as Subresource | 'finalize' | 'token' | undefined;
  const method = req.method ?? 'GET';
  const write = writeContext(req, query, escalationCheck(ctx.authorizer, user), name);
  const body = await readBody(req);
  const bodyText = (): string => body.toString('utf8');

  if (method === 'POST' && name === undefined) {
    requireVerb(def, 'create');
    if (!def.verbs.includes('get')) {
      const review = {
        user,
        namespace,
        authorizer: ctx.authorizer,
        authenticator: ctx.authenticator,
        manager: write.manager,
        time: timestamp(cluster.now()),
      };
      sendJson(res, 201, reviewResponse(def, readableBody(body, req.headers['content-type']), review));
      return;
    }
    const object = parseObjectBody(body, req.headers['content-type']);
    sendEncoded(res, 201, servedJson(def, cluster.create(def, namespace, object, write)));
    return;
  }

  if (subresource === 'token') {
    if (method !== 'POST') throw methodNotAllowed();
    const request = {
      namespace: namespace!,
      name: name!,
      body: readableBody(body, req.headers['content-type']),
      manager: write.manager,
      now: cluster.now(),
    };
    sendJson(res, 201, tokenRequestResponse(ctx.tokens, request));
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
    sendEncoded(res, 200, servedJson(def, cluster.update({ def, namespace, name, subresource: sub }, object, write)));
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
    if (type === 'apply' && !query.get('fieldManager'))
      throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
    const result = cluster.patch({ def, namespace, name, subresource: sub }, type, patch, write, { force });
    sendEncoded(res, existed ? 200 : 201, servedJson(def, result));
    return;
  }

  if (method === 'DELETE' && name !== undefined) {
    requireVerb(def, 'delete');
    const options = parseDeleteOptions(bodyText());
    if (options.dryRun?.includes('All')) write.dryRun = true;
    const propagationPolicy = (query.get('propagationPolicy') ??
      options.propagationPolicy) as DeleteOptions['propagationPolicy'];
    const { object, gone } = cluster.delete(def, namespace, name, write, {
      preconditions: options.preconditions,
      propagationPolicy,
    });
    if (gone && !write.dryRun && cluster.registry.isBuiltinGroup(def.group)) {
      sendJson(res, 200, success(def.group, def.resource, name, String(object.metadata.uid)));
      return;
    }
    sendEncoded(res, 200, servedJson(def, object));
    return;
  }

  if (method === 'DELETE') {
    requireVerb(def, 'deletecollection');
    const result = cluster.list(def, namespace, {
      labelSelector: parseLabelSelector(query.get('labelSelector')),
      fieldSelector: parseFieldSelector(query.get('fieldSelector')),
    });
    const deleted = result.items.map(
      (o) => cluster.delete(def, o.metadata.namespace as string | undefined, String(o.metadata.name), write).object,
    );
    sendEncoded(res, 200, listJson(def, { resourceVersion: String(cluster.store.revision) }, deleted));
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
