// Create-only kinds (reviews, bindings): the server answers with the object, its status filled in, and stores
// nothing. Access and rules reviews answer from the same authorizer that decides requests; token and self
// reviews from the same authenticator.
import type { Authenticator } from './authentication.ts';
import type { RbacAuthorizer } from './authorizer.ts';
import { recordWrite } from './managed-fields.ts';
import { apiVersionOf } from './object-shape.ts';
import type { PolicyRule } from './rbac-rules.ts';
import type { RequestAttributes } from './request-attributes.ts';
import type { KubeObject, ResourceDef } from './types.ts';
import type { UserInfo } from './users.ts';

export interface ReviewContext {
  /** Who sent the review. */
  user: UserInfo;
  /** The namespace in the URL (LocalSubjectAccessReview). */
  namespace?: string;
  authorizer: RbacAuthorizer;
  authenticator: Authenticator;
  /** The field manager of the request and the time of it, for the answer's managedFields. */
  manager: string;
  time: string;
}

interface AccessReviewSpec {
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    version?: string;
    resource?: string;
    subresource?: string;
    name?: string;
  };
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string;
  groups?: string[];
  uid?: string;
  namespace?: string;
}

function requestOf(spec: AccessReviewSpec, namespace: string | undefined): RequestAttributes {
  const resource = spec.resourceAttributes;
  if (!resource)
    return {
      resourceRequest: false,
      verb: spec.nonResourceAttributes?.verb ?? '',
      path: spec.nonResourceAttributes?.path ?? '',
    };
  const request: RequestAttributes = {
    resourceRequest: true,
    verb: resource.verb ?? '',
    apiGroup: resource.group ?? '',
    apiVersion: resource.version ?? '',
    namespace: namespace ?? resource.namespace ?? '',
    resource: resource.resource ?? '',
  };
  if (resource.subresource) request.subresource = resource.subresource;
  if (resource.name) request.name = resource.name;
  return request;
}

function accessReviewStatus(review: ReviewContext, user: UserInfo, spec: AccessReviewSpec): Record<string, unknown> {
  const decision = review.authorizer.authorize(user, requestOf(spec, review.namespace));
  return decision.reason ? { allowed: decision.allowed, reason: decision.reason } : { allowed: decision.allowed };
}

/** A SelfSubjectRulesReview's status: the user's rules in the namespace, split into resource and non-resource rules. */
function rulesReviewStatus(review: ReviewContext, namespace: string): Record<string, unknown> {
  const { rules, errors } = review.authorizer.rulesFor(review.user, namespace);
  const resourceRules: Array<Omit<PolicyRule, 'nonResourceURLs'>> = [];
  const nonResourceRules: Array<{ verbs: string[]; nonResourceURLs: string[] }> = [];
  for (const { rule } of rules) {
    if (rule.resources?.length) {
      const resourceRule: Omit<PolicyRule, 'nonResourceURLs'> = {
        verbs: rule.verbs,
        apiGroups: rule.apiGroups ?? [],
        resources: rule.resources,
      };
      if (rule.resourceNames?.length) resourceRule.resourceNames = rule.resourceNames;
      resourceRules.push(resourceRule);
    }
    if (rule.nonResourceURLs?.length)
      nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs });
  }
  const status: Record<string, unknown> = { resourceRules, nonResourceRules, incomplete: errors.length > 0 };
  if (errors.length > 0) status.evaluationError = errors.join(', ');
  return status;
}

function userInfoOf(user: UserInfo): Record<string, unknown> {
  return user.uid
    ? { username: user.username, uid: user.uid, groups: user.groups }
    : { username: user.username, groups: user.groups };
}

function statusFor(def: ResourceDef, requestSpec: unknown, review: ReviewContext): Record<string, unknown> | undefined {
  const spec = (requestSpec ?? {}) as AccessReviewSpec & { token?: string };
  switch (def.kind) {
    case 'SelfSubjectAccessReview':
      return accessReviewStatus(review, review.user, spec);
    case 'SubjectAccessReview':
    case 'LocalSubjectAccessReview':
      return accessReviewStatus(review, { username: spec.user ?? '', uid: spec.uid, groups: spec.groups ?? [] }, spec);
    case 'SelfSubjectRulesReview':
      return rulesReviewStatus(review, spec.namespace ?? '');
    case 'TokenReview': {
      const user = spec.token ? review.authenticator.userOfToken(spec.token) : undefined;
      return user
        ? { authenticated: true, user: userInfoOf(user) }
        : { authenticated: false, error: 'invalid bearer token' };
    }
    case 'SelfSubjectReview':
      return { userInfo: userInfoOf(review.user) };
    default:
      return undefined;
  }
}

/**
 * The answer to a create of a create-only kind. `object` is undefined when the body could not be read
 * (a protobuf kind the simulator does not decode); the answer then has no spec.
 */
export function reviewResponse(def: ResourceDef, object: KubeObject | undefined, review: ReviewContext): KubeObject {
  const { kind: _kind, apiVersion: _apiVersion, metadata = {}, ...fields } = object ?? { metadata: {} };
  const response: KubeObject = {
    kind: def.kind,
    apiVersion: apiVersionOf(def),
    metadata: { ...metadata, creationTimestamp: null },
    ...fields,
  };
  // Like any create, the answer says who set which fields of the request (nothing when it set none).
  recordWrite({ def, next: response, manager: review.manager, operation: 'Update', time: review.time });
  if (response.metadata.managedFields?.length === 0) delete response.metadata.managedFields;
  const status = statusFor(def, fields.spec, review);
  if (status) response.status = status;
  return response;
}
