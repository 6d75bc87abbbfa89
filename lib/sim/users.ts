// Who a request comes from, as the authenticators name users: the simulator's admin, a service account, anonymous.

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
}

/** The identity the simulator's own kubeconfig token authenticates as: a cluster admin (system:masters). */
export const ADMIN_USER: UserInfo = {
  username: 'kubesnap-sim-admin',
  groups: ['system:masters', 'system:authenticated'],
};

export const ANONYMOUS_USER: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`;
}

/** The groups every service account of a namespace is in (besides system:authenticated). */
export function serviceAccountGroups(namespace: string): string[] {
  return ['system:serviceaccounts', `system:serviceaccounts:${namespace}`];
}

export function serviceAccountUser(namespace: string, name: string, uid: string): UserInfo {
  return {
    username: serviceAccountUsername(namespace, name),
    uid,
    groups: [...serviceAccountGroups(namespace), 'system:authenticated'],
  };
}

/** Members of system:masters pass every authorization and every escalation check, as on a real server. */
export function isPrivileged(user: UserInfo): boolean {
  return user.groups.includes('system:masters');
}
