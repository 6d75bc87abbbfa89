// The RBAC policy a kube-apiserver bootstraps for itself: cluster-admin for system:masters, and what every
// authenticated (or anonymous) client may do without any binding of its own: discovery, /version and /healthz,
// access reviews of itself. The simulator does not store these objects (a snapshot of it holds what a test
// seeded, nothing else); the authorizer consults them after the stored ones, and a stored ClusterRole of the
// same name replaces the built-in one.
import type { PolicyRule } from './rbac-rules.ts';

export interface BootstrapClusterRole {
  name: string;
  rules: PolicyRule[];
  /** The groups its bootstrap ClusterRoleBinding (of the same name) binds it to. */
  boundGroups: string[];
}

const get = ['get'];

// In the order a v1.32 server's SelfSubjectRulesReview lists them (test/fixtures/apiserver/rbac/selfsubjectrulesreview.json).
export const BOOTSTRAP_CLUSTER_ROLES: readonly BootstrapClusterRole[] = [
  {
    name: 'cluster-admin',
    rules: [
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ],
    boundGroups: ['system:masters'],
  },
  {
    name: 'system:basic-user',
    rules: [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ],
    boundGroups: ['system:authenticated'],
  },
  {
    // The recorded server grants this to every service account; the name of its role is not in the recording.
    name: 'system:well-known-viewer',
    rules: [{ verbs: get, nonResourceURLs: ['/.well-known', '/.well-known/*'] }],
    boundGroups: ['system:serviceaccounts'],
  },
  {
    name: 'system:service-account-issuer-discovery',
    rules: [{ verbs: get, nonResourceURLs: ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'] }],
    boundGroups: ['system:serviceaccounts'],
  },
  {
    name: 'system:discovery',
    rules: [{ verbs: get, nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] }],
    boundGroups: ['system:authenticated'],
  },
  {
    name: 'system:public-info-viewer',
    rules: [{ verbs: get, nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }],
    boundGroups: ['system:authenticated', 'system:unauthenticated'],
  },
];

export function bootstrapClusterRole(name: string): BootstrapClusterRole | undefined {
  return BOOTSTRAP_CLUSTER_ROLES.find((role) => role.name === name);
}
