// The RBAC authorizer: which rules the cluster's Roles, ClusterRoles, RoleBindings and ClusterRoleBindings (and
// the bootstrap policy, bootstrap-policy.ts) give a user in a namespace, and whether one of them allows a request.
// A user's rules are computed once per namespace and kept (for that user object: the authenticator hands out
// the same one for a token) until an RBAC object changes, so a request of a service account costs a scan of
// its own rules; members of system:masters are never looked up.
import { BOOTSTRAP_CLUSTER_ROLES, bootstrapRoleRules } from './bootstrap-policy.ts';
import { aggregate, ruleAllows, rulesOf, uncoveredRules, type PolicyRule } from './rbac-rules.ts';
import type { RequestAttributes } from './request-attributes.ts';
import { bucketOf, type ObjectStore } from './store.ts';
import type { KubeObject } from './types.ts';
import { isPrivileged, serviceAccountUsername, type UserInfo } from './users.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A rule and the binding that grants it, worded as the real authorizer's reasons name it. */
export interface GrantedRule {
  rule: PolicyRule;
  source: string;
}

export interface UserRules {
  rules: GrantedRule[];
  /** Bindings of this user whose role does not exist: `clusterrole.rbac.authorization.k8s.io "x" not found`. */
  errors: string[];
}

export interface Decision {
  allowed: boolean;
  /** `RBAC: allowed by ...` for an allowed request, the resolution errors (if any) for a denied one. */
  reason: string;
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

interface RoleRef {
  kind: string;
  name: string;
}

function subjectsOf(binding: KubeObject): Subject[] {
  return Array.isArray(binding.subjects) ? (binding.subjects as Subject[]) : [];
}

/** The subject of a binding that names `user`, if one does; `bindingNamespace` qualifies bare service accounts. */
function subjectFor(user: UserInfo, binding: KubeObject, bindingNamespace: string): Subject | undefined {
  return subjectsOf(binding).find((subject) => {
    switch (subject.kind) {
      case 'User':
        return subject.name === user.username;
      case 'Group':
        return user.groups.includes(subject.name);
      case 'ServiceAccount': {
        const namespace = subject.namespace || bindingNamespace;
        return namespace !== '' && serviceAccountUsername(namespace, subject.name) === user.username;
      }
      default:
        return false;
    }
  });
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount')
    return `ServiceAccount ${JSON.stringify(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  return `${subject.kind} ${JSON.stringify(subject.name)}`;
}

export class RbacAuthorizer {
  private cache = new WeakMap<UserInfo, Map<string, UserRules>>();

  constructor(private readonly store: ObjectStore) {
    store.subscribe((event) => {
      if (event.bucket.startsWith(`${RBAC_GROUP}/`)) this.cache = new WeakMap();
    });
  }

  authorize(user: UserInfo, request: RequestAttributes): Decision {
    if (isPrivileged(user)) return { allowed: true, reason: '' };
    const { rules, errors } = this.rulesFor(user, request.resourceRequest ? request.namespace : '');
    const granted = rules.find((r) => ruleAllows(r.rule, request));
    if (granted) return { allowed: true, reason: `RBAC: allowed by ${granted.source}` };
    return { allowed: false, reason: errors.length > 0 ? `RBAC: ${aggregate(errors)}` : '' };
  }

  /** Every rule `user` holds in `namespace` ('' for cluster-wide only): ClusterRoleBindings' first, then the namespace's RoleBindings'. */
  rulesFor(user: UserInfo, namespace: string): UserRules {
    let byNamespace = this.cache.get(user);
    if (!byNamespace) {
      byNamespace = new Map();
      this.cache.set(user, byNamespace);
    }
    let rules = byNamespace.get(namespace);
    if (!rules) {
      rules = this.resolve(user, namespace);
      byNamespace.set(namespace, rules);
    }
    return rules;
  }

  /**
   * The parts of `wanted` that `user` does not hold in `namespace` (none: granting them is no escalation), and
   * the user's bindings whose role is missing.
   */
  missingRules(
    user: UserInfo,
    namespace: string,
    wanted: readonly PolicyRule[],
  ): { missing: PolicyRule[]; errors: string[] } {
    const { rules, errors } = this.rulesFor(user, namespace);
    return {
      missing: uncoveredRules(
        rules.map((r) => r.rule),
        wanted,
      ),
      errors,
    };
  }

  /** The rules a binding's roleRef names, or the error the real resolver gives when the role does not exist. */
  roleRefRules(roleRef: RoleRef, bindingNamespace: string): PolicyRule[] | string {
    if (roleRef.kind === 'Role') {
      const role = this.store.get(bucketOf(RBAC_GROUP, 'roles'), `${bindingNamespace}/${roleRef.name}`);
      return role ? rulesOf(role) : `role.${RBAC_GROUP} ${JSON.stringify(roleRef.name)} not found`;
    }
    if (roleRef.kind === 'ClusterRole') {
      const role = this.store.get(bucketOf(RBAC_GROUP, 'clusterroles'), `/${roleRef.name}`);
      if (role) return rulesOf(role);
      const stored = this.store.view(bucketOf(RBAC_GROUP, 'clusterroles')).objects.values();
      return (
        bootstrapRoleRules(roleRef.name, stored) ??
        `clusterrole.${RBAC_GROUP} ${JSON.stringify(roleRef.name)} not found`
      );
    }
    return `unsupported role reference kind: ${JSON.stringify(roleRef.kind)}`;
  }

  private resolve(user: UserInfo, namespace: string): UserRules {
    const result: UserRules = { rules: [], errors: [] };
    const grant = (roleRef: RoleRef, bindingNamespace: string, source: string): void => {
      const rules = this.roleRefRules(roleRef, bindingNamespace);
      if (typeof rules === 'string') result.errors.push(rules);
      else for (const rule of rules) result.rules.push({ rule, source });
    };
    for (const role of BOOTSTRAP_CLUSTER_ROLES) {
      const group = role.boundGroups.find((g) => user.groups.includes(g));
      if (group)
        grant(
          { kind: 'ClusterRole', name: role.name },
          '',
          `ClusterRoleBinding "${role.name}" of ClusterRole "${role.name}" to Group ${JSON.stringify(group)}`,
        );
    }
    for (const binding of this.store.view(bucketOf(RBAC_GROUP, 'clusterrolebindings')).objects.values()) {
      const subject = subjectFor(user, binding, '');
      if (!subject) continue;
      const roleRef = binding.roleRef as RoleRef;
      grant(
        roleRef,
        '',
        `ClusterRoleBinding ${JSON.stringify(binding.metadata.name)} of ${roleRef.kind} ${JSON.stringify(roleRef.name)} to ${describeSubject(subject, '')}`,
      );
    }
    if (namespace === '') return result;
    for (const binding of this.store.view(bucketOf(RBAC_GROUP, 'rolebindings')).objects.values()) {
      if (binding.metadata.namespace !== namespace) continue;
      const subject = subjectFor(user, binding, namespace);
      if (!subject) continue;
      const roleRef = binding.roleRef as RoleRef;
      grant(
        roleRef,
        namespace,
        `RoleBinding ${JSON.stringify(`${binding.metadata.name}/${namespace}`)} of ${roleRef.kind} ${JSON.stringify(roleRef.name)} to ${describeSubject(subject, namespace)}`,
      );
    }
    return result;
  }
}
