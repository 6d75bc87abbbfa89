// Kubernetes Status objects: every error the simulator returns is one of these, as the real server words them.
import type { RequestAttributes } from './request-attributes.ts';

export interface StatusCause {
  reason: string;
  message: string;
  field: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    uid?: string;
    causes?: StatusCause[];
    retryAfterSeconds?: number;
  };
  code?: number;
}

/** Thrown anywhere inside request handling; the HTTP layer turns it into the Status response. */
export class StatusError extends Error {
  readonly status: StatusBody;
  constructor(status: StatusBody) {
    super(status.message ?? status.reason ?? 'error');
    this.status = status;
  }
  get code(): number {
    return this.status.code ?? 500;
  }
}

function failure(code: number, reason: string, message: string, details?: StatusBody['details']): StatusError {
  const body: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason };
  if (details) body.details = details;
  body.code = code;
  return new StatusError(body);
}

/** The `details` of a Status names the resource (plural) and, for grouped resources, its group. */
function detailsFor(group: string, resource: string, name?: string): NonNullable<StatusBody['details']> {
  const details: NonNullable<StatusBody['details']> = {};
  if (name !== undefined) details.name = name;
  if (group) details.group = group;
  details.kind = resource;
  return details;
}

function qualified(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(group: string, resource: string, name: string): StatusError {
  return failure(
    404,
    'NotFound',
    `${qualified(group, resource)} "${name}" not found`,
    detailsFor(group, resource, name),
  );
}

export function alreadyExists(group: string, resource: string, name: string): StatusError {
  return failure(
    409,
    'AlreadyExists',
    `${qualified(group, resource)} "${name}" already exists`,
    detailsFor(group, resource, name),
  );
}

export function conflict(group: string, resource: string, name: string): StatusError {
  return failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(group, resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsFor(group, resource, name),
  );
}

export function applyConflict(
  group: string,
  resource: string,
  name: string,
  conflicts: Array<{ manager: string; field: string }>,
): StatusError {
  const lines = conflicts.map((c) => `conflict with "${c.manager}": ${c.field}`);
  const message = `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${lines.join('\n')}`;
  const details = detailsFor(group, resource, name);
  details.causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with "${c.manager}"`,
    field: c.field,
  }));
  return failure(409, 'Conflict', message, details);
}

export function invalid(group: string, kind: string, name: string, causes: StatusCause[]): StatusError {
  const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
  const details: NonNullable<StatusBody['details']> = { name };
  if (group) details.group = group;
  details.kind = kind;
  details.causes = causes;
  return failure(
    422,
    'Invalid',
    `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${causes.length > 1 ? '[' + summary + ']' : summary}`,
    details,
  );
}

/** A failed JSON-Patch `test` (or otherwise inapplicable patch): 422 with empty details, as the real server answers. */
export function patchRejected(): StatusError {
  return failure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

/** apierrors.NewForbidden: `<resource>.<group> "<name>" is forbidden: <reason>`, or just `forbidden: <reason>` for no resource. */
export function forbidden(group: string, resource: string, name: string | undefined, reason: string): StatusError {
  const details: NonNullable<StatusBody['details']> = {};
  if (name) details.name = name;
  if (group) details.group = group;
  if (resource) details.kind = resource;
  const what = !resource
    ? 'forbidden'
    : name
      ? `${qualified(group, resource)} "${name}" is forbidden`
      : `${qualified(group, resource)} is forbidden`;
  return failure(403, 'Forbidden', `${what}: ${reason}`, details);
}

/** The authorizer's refusal of a request, worded as kube-apiserver words it; `reason` (RBAC's resolution errors) is appended. */
export function forbiddenRequest(username: string, request: RequestAttributes, reason = ''): StatusError {
  const user = JSON.stringify(username);
  let message: string;
  if (!request.resourceRequest) message = `User ${user} cannot ${request.verb} path ${JSON.stringify(request.path)}`;
  else {
    const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
    const scope = request.namespace ? `in the namespace ${JSON.stringify(request.namespace)}` : 'at the cluster scope';
    message = `User ${user} cannot ${request.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(request.apiGroup)} ${scope}`;
  }
  if (reason) message += `: ${reason}`;
  return request.resourceRequest
    ? forbidden(request.apiGroup, request.resource, request.name, message)
    : forbidden('', '', undefined, message);
}

export function unauthorized(): StatusError {
  return failure(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotAllowed(): StatusError {
  return failure(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

export function unsupportedMediaType(contentType: string, accepted: string[]): StatusError {
  return failure(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}; got ${contentType}`,
  );
}

export function expired(message: string): StatusError {
  return failure(410, 'Expired', message);
}

/** A watch from a resourceVersion the server has not reached (e.g. after its history started over). */
export function resourceVersionTooLarge(requested: number, current: number): StatusError {
  return failure(504, 'Timeout', `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version', field: '' }],
    retryAfterSeconds: 1,
  });
}

export function tooManyRequests(retryAfterSeconds: number): StatusError {
  return failure(
    429,
    'TooManyRequests',
    'the server has received too many requests and has asked us to try again later',
    { retryAfterSeconds },
  );
}

export function internalError(message: string): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ reason: '', message, field: '' }],
  });
}

export function namespaceNotFound(name: string): StatusError {
  return notFound('', 'namespaces', name);
}

export function namespaceTerminating(namespace: string, group: string, resource: string, name: string): StatusError {
  return forbidden(
    group,
    resource,
    name,
    `unable to create new content in namespace ${namespace} because it is being terminated`,
  );
}

export function success(group: string, resource: string, name: string, uid: string): StatusBody {
  const details = detailsFor(group, resource, name);
  details.uid = uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
