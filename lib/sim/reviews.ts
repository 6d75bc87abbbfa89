// Create-only kinds (reviews, bindings): the server answers with the object, its status filled in, and stores
// nothing. The simulator's one user is a cluster admin, so every access review is allowed.
import { apiVersionOf } from './object-shape.ts';
import type { KubeObject, ResourceDef } from './types.ts';

export const SIMULATOR_USER = { username: 'kubesnap-sim-admin', groups: ['system:masters', 'system:authenticated'] };

function statusFor(def: ResourceDef, object: KubeObject, token: string): Record<string, unknown> | undefined {
  switch (def.kind) {
    case 'SubjectAccessReview':
    case 'SelfSubjectAccessReview':
    case 'LocalSubjectAccessReview':
      return { allowed: true, reason: 'the simulator allows everything' };
    case 'SelfSubjectRulesReview':
      return { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false };
    case 'TokenReview': {
      const presented = (object.spec as { token?: string } | undefined)?.token;
      return presented === token ? { authenticated: true, user: SIMULATOR_USER } : { authenticated: false, error: 'invalid bearer token' };
    }
    case 'SelfSubjectReview':
      return { userInfo: SIMULATOR_USER };
    default:
      return undefined;
  }
}

/**
 * The answer to a create of a create-only kind. `object` is undefined when the body could not be read
 * (a protobuf kind the simulator does not decode); the answer then has no spec.
 */
export function reviewResponse(def: ResourceDef, object: KubeObject | undefined, token: string): KubeObject {
  const body = object ?? { metadata: {} };
  const response: KubeObject = { ...body, kind: def.kind, apiVersion: apiVersionOf(def), metadata: { ...body.metadata, creationTimestamp: null } };
  const status = statusFor(def, body, token);
  if (status) response.status = status;
  return response;
}
