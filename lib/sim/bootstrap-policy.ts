// The RBAC policy a kube-apiserver v1.32 bootstraps for itself (test/fixtures/apiserver/lists/clusterroles...json),
// one ClusterRole per entry with the groups its bootstrap ClusterRoleBinding of the same name binds it to:
// cluster-admin for system:masters; what every client may do without a binding of its own (discovery, /version and
// /healthz, access reviews of itself); and the user-facing admin, edit and view, which hold no rules of their own:
// as on a real server, their aggregationRules gather those of system:aggregate-to-admin/edit/view, and view is
// labelled to aggregate into edit, edit into admin (aggregation-rule.ts settles them as the controller does). Beside
// stored ClusterRoles labelled to aggregate into them (as an operator's `rbac.authorization.k8s.io/aggregate-to-view:
// "true"` roles are) they gather those too: `bootstrapRoleRules`. The simulator does not store these objects (a
// snapshot of it holds what a test seeded, nothing else): the authorizer consults them after the stored ones, and a
// stored ClusterRole of the same name replaces the built-in one. In the order a SelfSubjectRulesReview lists them
// (rbac/selfsubjectrulesreview.json).
import { settledAggregation } from './aggregation-rule.ts';
import { rulesOf, type PolicyRule } from './rbac-rules.ts';
import type { KubeObject } from './types.ts';

export interface BootstrapClusterRole {
  name: string;
  /** The groups its bootstrap ClusterRoleBinding (of the same name) binds it to. */
  boundGroups: string[];
  /** Its rules with no stored ClusterRole beside it (admin, edit and view gather more: `bootstrapRoleRules`). */
  rules: PolicyRule[];
}

interface BootstrapRoleSource {
  name: string;
  boundGroups: string[];
  labels?: Record<string, string>;
  aggregationRule?: { clusterRoleSelectors: Array<{ matchLabels: Record<string, string> }> };
  rules?: PolicyRule[];
}

const AGGREGATE_TO = 'rbac.authorization.k8s.io/aggregate-to-';

function aggregatesTo(role: string): Record<string, string> {
  return { [`${AGGREGATE_TO}${role}`]: 'true' };
}

function gathering(role: string): BootstrapRoleSource['aggregationRule'] {
  return { clusterRoleSelectors: [{ matchLabels: aggregatesTo(role) }] };
}

const SOURCES: readonly BootstrapRoleSource[] = [
  {
    name: 'cluster-admin',
    boundGroups: ['system:masters'],
    rules: [
      { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
      { verbs: ['*'], nonResourceURLs: ['*'] },
    ],
  },
  {
    name: 'system:basic-user',
    boundGroups: ['system:authenticated'],
    rules: [
      {
        verbs: ['create'],
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
      },
      { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
    ],
  },
  {
    name: 'system:openshift:public-info-viewer',
    boundGroups: ['system:authenticated', 'system:unauthenticated'],
    rules: [{ verbs: ['get'], nonResourceURLs: ['/.well-known', '/.well-known/*'] }],
  },
  {
    name: 'system:service-account-issuer-discovery',
    boundGroups: ['system:serviceaccounts'],
    rules: [
      {
        verbs: ['get'],
        nonResourceURLs: [
          '/.well-known/openid-configuration',
          '/.well-known/openid-configuration/',
          '/openid/v1/jwks',
          '/openid/v1/jwks/',
        ],
      },
    ],
  },
  {
    name: 'system:discovery',
    boundGroups: ['system:authenticated'],
    rules: [
      {
        verbs: ['get'],
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
      },
    ],
  },
  {
    name: 'system:public-info-viewer',
    boundGroups: ['system:authenticated', 'system:unauthenticated'],
    rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }],
  },
  { name: 'admin', boundGroups: [], aggregationRule: gathering('admin') },
  { name: 'edit', boundGroups: [], labels: aggregatesTo('admin'), aggregationRule: gathering('edit') },
  { name: 'view', boundGroups: [], labels: aggregatesTo('edit'), aggregationRule: gathering('view') },
  {
    name: 'system:aggregate-to-admin',
    boundGroups: [],
    labels: aggregatesTo('admin'),
    rules: [
      { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'] },
      {
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['rolebindings', 'roles'],
      },
    ],
  },
  {
    name: 'system:aggregate-to-edit',
    boundGroups: [],
    labels: aggregatesTo('edit'),
    rules: [
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: [''],
        resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
      },
      { verbs: ['impersonate'], apiGroups: [''], resources: ['serviceaccounts'] },
      {
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
        apiGroups: [''],
        resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'],
      },
      { verbs: ['create'], apiGroups: [''], resources: ['pods/eviction'] },
      {
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
        apiGroups: [''],
        resources: [
          'configmaps',
          'endpoints',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
      },
      { verbs: ['create'], apiGroups: [''], resources: ['serviceaccounts/token'] },
      {
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
        apiGroups: ['apps'],
        resources: [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ],
      },
      {
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers'],
      },
      {
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
        apiGroups: ['batch'],
        resources: ['cronjobs', 'jobs'],
      },
      {
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'ingresses',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
        ],
      },
      {
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
        apiGroups: ['policy'],
        resources: ['poddisruptionbudgets'],
      },
      {
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses', 'networkpolicies'],
      },
      {
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
      },
    ],
  },
  {
    name: 'system:aggregate-to-view',
    boundGroups: [],
    labels: aggregatesTo('view'),
    rules: [
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: [''],
        resources: [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
      },
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: [''],
        resources: [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
      },
      { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['namespaces'] },
      { verbs: ['get', 'list', 'watch'], apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'] },
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: ['apps'],
        resources: [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
      },
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
      },
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: ['batch'],
        resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'],
      },
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ],
      },
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: ['policy'],
        resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'],
      },
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses', 'ingresses/status', 'networkpolicies'],
      },
    ],
  },
];

function clusterRoleOf(source: BootstrapRoleSource): KubeObject {
  const { name, labels, aggregationRule, rules } = source;
  return { metadata: { name, labels }, aggregationRule, rules };
}

const BOOTSTRAP_OBJECTS: readonly KubeObject[] = SOURCES.map(clusterRoleOf);

/** admin, edit and view: their rules depend on the stored ClusterRoles too. */
const AGGREGATING = new Set(SOURCES.filter((source) => source.aggregationRule).map((source) => source.name));

export const BOOTSTRAP_CLUSTER_ROLES: readonly BootstrapClusterRole[] = settledAggregation(BOOTSTRAP_OBJECTS).map(
  (role, i) => ({ name: SOURCES[i].name, boundGroups: SOURCES[i].boundGroups, rules: rulesOf(role) }),
);

/**
 * The rules of the bootstrap ClusterRole `name` (undefined: there is none) beside the stored ClusterRoles, as the
 * aggregation controller settles them: admin, edit and view also gather the stored roles labelled to aggregate into
 * them, in its order, and a stored role of a bootstrap role's name takes that one's place. Stored roles count with
 * the rules they hold: the controller settles their own aggregationRules (clusterrole-aggregation.ts).
 */
export function bootstrapRoleRules(name: string, storedClusterRoles: Iterable<KubeObject>): PolicyRule[] | undefined {
  if (!AGGREGATING.has(name)) return BOOTSTRAP_CLUSTER_ROLES.find((role) => role.name === name)?.rules;
  const stored = [...storedClusterRoles].map((role): KubeObject => ({ ...role, aggregationRule: null }));
  const storedNames = new Set(stored.map((role) => role.metadata.name));
  const roles = settledAggregation([
    ...BOOTSTRAP_OBJECTS.filter((role) => !storedNames.has(role.metadata.name)),
    ...stored,
  ]);
  const role = roles.find((candidate) => candidate.metadata.name === name);
  return role && rulesOf(role);
}
