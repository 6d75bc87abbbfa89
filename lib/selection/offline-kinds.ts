// Kind spellings matched without an API server, for commands that read only the snapshot repository
// (diff between revisions, log). A file's folder gives its resource and group, its YAML its kind; the
// short names kubectl knows for built-in kinds come from the table below.

/** What the repository knows of an object's kind: the folder `<resource>[.<group>]` and the `kind` field. */
export interface OfflineKind {
  group: string;
  resource: string;
  kind?: string;
}

const builtinKinds: Array<{ resource: string; group: string; kind: string; shortNames: string[] }> = [
  { resource: 'configmaps', group: '', kind: 'ConfigMap', shortNames: ['cm'] },
  { resource: 'endpoints', group: '', kind: 'Endpoints', shortNames: ['ep'] },
  { resource: 'events', group: '', kind: 'Event', shortNames: ['ev'] },
  { resource: 'limitranges', group: '', kind: 'LimitRange', shortNames: ['limits'] },
  { resource: 'namespaces', group: '', kind: 'Namespace', shortNames: ['ns'] },
  { resource: 'nodes', group: '', kind: 'Node', shortNames: ['no'] },
  { resource: 'persistentvolumeclaims', group: '', kind: 'PersistentVolumeClaim', shortNames: ['pvc'] },
  { resource: 'persistentvolumes', group: '', kind: 'PersistentVolume', shortNames: ['pv'] },
  { resource: 'pods', group: '', kind: 'Pod', shortNames: ['po'] },
  { resource: 'replicationcontrollers', group: '', kind: 'ReplicationController', shortNames: ['rc'] },
  { resource: 'resourcequotas', group: '', kind: 'ResourceQuota', shortNames: ['quota'] },
  { resource: 'secrets', group: '', kind: 'Secret', shortNames: [] },
  { resource: 'serviceaccounts', group: '', kind: 'ServiceAccount', shortNames: ['sa'] },
  { resource: 'services', group: '', kind: 'Service', shortNames: ['svc'] },
  { resource: 'daemonsets', group: 'apps', kind: 'DaemonSet', shortNames: ['ds'] },
  { resource: 'deployments', group: 'apps', kind: 'Deployment', shortNames: ['deploy'] },
  { resource: 'replicasets', group: 'apps', kind: 'ReplicaSet', shortNames: ['rs'] },
  { resource: 'statefulsets', group: 'apps', kind: 'StatefulSet', shortNames: ['sts'] },
  { resource: 'horizontalpodautoscalers', group: 'autoscaling', kind: 'HorizontalPodAutoscaler', shortNames: ['hpa'] },
  { resource: 'cronjobs', group: 'batch', kind: 'CronJob', shortNames: ['cj'] },
  { resource: 'jobs', group: 'batch', kind: 'Job', shortNames: [] },
  {
    resource: 'certificatesigningrequests',
    group: 'certificates.k8s.io',
    kind: 'CertificateSigningRequest',
    shortNames: ['csr'],
  },
  { resource: 'ingresses', group: 'networking.k8s.io', kind: 'Ingress', shortNames: ['ing'] },
  { resource: 'networkpolicies', group: 'networking.k8s.io', kind: 'NetworkPolicy', shortNames: ['netpol'] },
  { resource: 'poddisruptionbudgets', group: 'policy', kind: 'PodDisruptionBudget', shortNames: ['pdb'] },
  { resource: 'priorityclasses', group: 'scheduling.k8s.io', kind: 'PriorityClass', shortNames: ['pc'] },
  { resource: 'storageclasses', group: 'storage.k8s.io', kind: 'StorageClass', shortNames: ['sc'] },
  {
    resource: 'customresourcedefinitions',
    group: 'apiextensions.k8s.io',
    kind: 'CustomResourceDefinition',
    shortNames: ['crd', 'crds'],
  },
  { resource: 'clusterroles', group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', shortNames: [] },
  { resource: 'clusterrolebindings', group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', shortNames: [] },
  { resource: 'roles', group: 'rbac.authorization.k8s.io', kind: 'Role', shortNames: [] },
  { resource: 'rolebindings', group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', shortNames: [] },
];

/** Built-in resources that live outside every namespace; every other one in the table lives in one. */
const clusterScopedBuiltins = new Set([
  'namespaces',
  'nodes',
  'persistentvolumes',
  'certificatesigningrequests.certificates.k8s.io',
  'priorityclasses.scheduling.k8s.io',
  'storageclasses.storage.k8s.io',
  'customresourcedefinitions.apiextensions.k8s.io',
  'clusterroles.rbac.authorization.k8s.io',
  'clusterrolebindings.rbac.authorization.k8s.io',
]);

/** The kind and scope of a built-in resource, as a cluster would serve it; undefined for any other (custom resources). */
export function builtinResource(group: string, resource: string): { kind: string; namespaced: boolean } | undefined {
  const known = builtinKinds.find((entry) => entry.resource === resource && entry.group === group);
  return (
    known && {
      kind: known.kind,
      namespaced: !clusterScopedBuiltins.has(group === '' ? resource : `${resource}.${group}`),
    }
  );
}

function builtin(kind: OfflineKind) {
  return builtinKinds.find((entry) => entry.resource === kind.resource && entry.group === kind.group);
}

/** `deploy`, `deployment`, `deployments`, `Deployment`, `deployments.apps`, `deployment.v1.apps` → does it name this kind? */
export function spellingMatchesKind(spelling: string, kind: OfflineKind): boolean {
  const [name, ...rest] = spelling.split('.');
  const qualifier = rest.join('.');
  const known = builtin(kind);
  const names = [
    kind.resource,
    kind.resource.replace(/s$/, ''),
    (kind.kind ?? known?.kind ?? '').toLowerCase(),
    ...(known?.shortNames ?? []),
  ];
  if (!names.includes(name.toLowerCase())) return false;
  if (!qualifier) return true;
  return qualifier === kind.group || qualifier.replace(/^v\d+((alpha|beta)\d+)?\.?/, '') === kind.group;
}

/** The built-in kind a spelling names (`deploy` → deployments.apps), for paths of objects the repository may no longer hold. */
export function builtinKindFor(spelling: string): OfflineKind | undefined {
  return builtinKinds.find((entry) => spellingMatchesKind(spelling, entry));
}
