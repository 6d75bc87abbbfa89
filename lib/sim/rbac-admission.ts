// RBAC's privilege-escalation rule, checked on every create and update of an RBAC object by a user outside
// system:masters: a Role or ClusterRole may grant only what its writer holds (unless they may `escalate` it),
// a binding may bind only a role whose every permission its writer holds (unless they may `bind` it).
import { sameJson } from '../json/index.ts';
import { RBAC_GROUP, type RbacAuthorizer } from './authorizer.ts';
import type { Admission } from './cluster.ts';
import { escalationMessage, rulesOf, type PolicyRule } from './rbac-rules.ts';
import { forbidden, notFound } from './status.ts';
import type { KubeObject } from './types.ts';
import { isPrivileged, type UserInfo } from './users.ts';

// What setting an aggregationRule takes: it can gather any rule there is.
const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

interface RoleRef {
  kind: string;
  name: string;
}

/** The garbage collector may set ownerReferences and finalizers of any RBAC object without holding its rules. */
function onlyGcFieldsChanged(next: KubeObject, current: KubeObject): boolean {
  const rest = (o: KubeObject): unknown => ({
    ...o,
    metadata: {
      ...o.metadata,
      ownerReferences: undefined,
      finalizers: undefined,
      managedFields: undefined,
      resourceVersion: undefined,
    },
  });
  return sameJson(rest(next), rest(current));
}

/** The escalation check of writes by `user`, for Cluster's write context; undefined for system:masters, who may grant anything. */
export function escalationCheck(authorizer: RbacAuthorizer, user: UserInfo): Admission | undefined {
  if (isPrivileged(user)) return undefined;
  const may = (verb: string, resource: string, namespace: string, name: string): boolean =>
    authorizer.authorize(user, {
      resourceRequest: true,
      verb,
      apiGroup: RBAC_GROUP,
      apiVersion: 'v1',
      namespace,
      resource,
      name,
    }).allowed;

  const checkRole = (resource: string, namespace: string, name: string, role: KubeObject): void => {
    if (may('escalate', resource, namespace, name)) return;
    const { missing, errors } = authorizer.missingRules(user, namespace, rulesOf(role));
    if (missing.length > 0) throw forbidden(RBAC_GROUP, resource, name, escalationMessage(user, missing, errors));
    if (
      resource === 'clusterroles' &&
      role.aggregationRule != null &&
      authorizer.missingRules(user, '', FULL_AUTHORITY).missing.length > 0
    ) {
      throw forbidden(RBAC_GROUP, resource, name, 'must have cluster-admin privileges to use the aggregationRule');
    }
  };

  const checkBinding = (resource: string, namespace: string, name: string, binding: KubeObject): void => {
    const roleRef = (binding.roleRef ?? {}) as RoleRef;
    const roleResource = roleRef.kind === 'Role' ? 'roles' : 'clusterroles';
    if (may('bind', roleResource, namespace, roleRef.name)) return;
    const rules = authorizer.roleRefRules(roleRef, namespace);
    if (typeof rules === 'string') throw notFound(RBAC_GROUP, roleResource, roleRef.name);
    const { missing, errors } = authorizer.missingRules(user, namespace, rules);
    if (missing.length > 0) throw forbidden(RBAC_GROUP, resource, name, escalationMessage(user, missing, errors));
  };

  return (def, next, current) => {
    if (def.group !== RBAC_GROUP || (current && onlyGcFieldsChanged(next, current))) return;
    const namespace = def.namespaced ? String(next.metadata.namespace ?? '') : '';
    const name = String(next.metadata.name ?? '');
    if (def.resource === 'roles' || def.resource === 'clusterroles') checkRole(def.resource, namespace, name, next);
    else if (def.resource === 'rolebindings' || def.resource === 'clusterrolebindings')
      checkBinding(def.resource, namespace, name, next);
  };
}
