// A synthetic cluster for the benchmarks: `count` objects spread evenly over 200 namespaces and ten kinds, each
// about 1 KB of YAML once normalised, none of them skipped by the default policy (no owner references, Opaque
// Secrets), so every object listed is an object committed.
import type { ApiResource } from '../../lib/kube/index.ts';
import type { KubeObject } from '../../lib/sim/index.ts';

export const NAMESPACE_COUNT = 200;

type Build = (name: string, namespace: string, i: number, revision: number) => KubeObject;

const labels = (i: number) => ({
  app: `app-${i % 97}`,
  tier: ['web', 'api', 'worker', 'cache'][i % 4],
  team: `team-${i % 13}`,
});

function podTemplate(name: string, i: number, revision: number) {
  return {
    metadata: { labels: { app: name } },
    spec: {
      containers: [
        {
          name: 'main',
          image: `registry.example.com/team-${i % 13}/${name}:1.${revision}.${i % 10}`,
          ports: [{ containerPort: 8080, name: 'http' }],
          env: [
            { name: 'LOG_LEVEL', value: 'info' },
            { name: 'REVISION', value: String(revision) },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        },
      ],
    },
  };
}

const kinds: Array<{ apiVersion: string; kind: string; build: Build }> = [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    build: (name, namespace, i, revision) => ({
      metadata: { name, namespace, labels: labels(i) },
      data: Object.fromEntries(
        Array.from({ length: 12 }, (_, k) => [`setting-${k}.conf`, `value-${i}-${k}-${revision}-${'x'.repeat(30)}`]),
      ),
    }),
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    build: (name, namespace, i, revision) => ({
      metadata: { name, namespace, labels: labels(i) },
      type: 'Opaque',
      data: Object.fromEntries(
        Array.from({ length: 6 }, (_, k) => [
          `key-${k}`,
          Buffer.from(`secret-${i}-${k}-${revision}`).toString('base64'),
        ]),
      ),
    }),
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    build: (name, namespace, i, revision) => ({
      metadata: {
        name,
        namespace,
        labels: labels(i),
        annotations: {
          'bench.kubesnap.dev/revision': String(revision),
          'example.com/owner': `team-${i % 13}@example.com`,
        },
      },
      spec: {
        selector: { app: name },
        ports: [
          { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
          { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
        ],
      },
    }),
  },
  {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    build: (name, namespace, i, revision) => ({
      metadata: {
        name,
        namespace,
        labels: labels(i),
        annotations: {
          'bench.kubesnap.dev/revision': String(revision),
          'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/${namespace}-${name}-${'r'.repeat(40)}`,
          'example.com/description': `service account ${i} used by the ${name} workload in ${namespace} ${'d'.repeat(200)}`,
        },
      },
    }),
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    build: (name, namespace, i, revision) => ({
      metadata: { name, namespace, labels: labels(i) },
      spec: {
        replicas: 1 + (revision % 5),
        selector: { matchLabels: { app: name } },
        template: podTemplate(name, i, revision),
      },
    }),
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    build: (name, namespace, i, revision) => ({
      metadata: { name, namespace, labels: labels(i) },
      spec: {
        replicas: 1 + (revision % 3),
        serviceName: name,
        selector: { matchLabels: { app: name } },
        template: podTemplate(name, i, revision),
      },
    }),
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    build: (name, namespace, i, revision) => ({
      metadata: {
        name,
        namespace,
        labels: labels(i),
        annotations: { 'bench.kubesnap.dev/revision': String(revision) },
      },
      rules: [
        { apiGroups: [''], resources: ['configmaps', 'secrets', 'services'], verbs: ['get', 'list', 'watch'] },
        {
          apiGroups: ['apps'],
          resources: ['deployments', 'statefulsets'],
          verbs: ['get', 'list', 'watch', 'update', 'patch'],
        },
        { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'create', 'delete'] },
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: [`${name}-config-${i % 7}`, `${name}-extra`],
          verbs: ['update'],
        },
      ],
    }),
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    build: (name, namespace, i, revision) => ({
      metadata: {
        name,
        namespace,
        labels: labels(i),
        annotations: { 'bench.kubesnap.dev/revision': String(revision) },
      },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: Array.from({ length: 6 }, (_, k) => ({
        kind: 'ServiceAccount',
        name: `${name}-sa-${k}-${'s'.repeat(20)}`,
        namespace,
      })),
    }),
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    build: (name, namespace, i, revision) => ({
      metadata: {
        name,
        namespace,
        labels: labels(i),
        annotations: { 'bench.kubesnap.dev/revision': String(revision) },
      },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: [`${name}.${namespace}.example.com`], secretName: `${name}-tls` }],
        rules: ['www', 'api'].map((host) => ({
          host: `${host}-${name}.${namespace}.example.com`,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] },
        })),
      },
    }),
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    build: (name, namespace, i, revision) => ({
      metadata: { name, namespace, labels: labels(i) },
      spec: {
        schedule: `${i % 60} * * * *`,
        jobTemplate: {
          spec: {
            template: {
              ...podTemplate(name, i, revision),
              spec: { ...podTemplate(name, i, revision).spec, restartPolicy: 'OnFailure' },
            },
          },
        },
      },
    }),
  },
];

export const KIND_COUNT = kinds.length;

/** Object `i` of the synthetic cluster at `revision` (a changed revision changes its content, not its identity). */
export function clusterObject(i: number, revision = 0): KubeObject {
  const { apiVersion, kind, build } = kinds[i % kinds.length];
  const namespace = `ns-${Math.floor(i / kinds.length) % NAMESPACE_COUNT}`;
  const name = `${kind.toLowerCase()}-${i}`;
  return { apiVersion, kind, ...build(name, namespace, i, revision) } as KubeObject;
}

export function clusterObjects(count: number, revision = 0): KubeObject[] {
  return Array.from({ length: count }, (_, i) => clusterObject(i, revision));
}

/** `count` object indexes spread evenly over a cluster of `total` (every namespace and kind touched alike). */
export function spreadIndexes(count: number, total: number): number[] {
  const step = Math.max(1, Math.floor(total / count));
  return Array.from({ length: count }, (_, k) => (k * step + (k % 7)) % total);
}

const plurals: Record<string, string> = {
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  Service: 'services',
  ServiceAccount: 'serviceaccounts',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  Ingress: 'ingresses',
  CronJob: 'cronjobs',
};

/** The API resource object `i` belongs to, as discovery would describe it. */
export function resourceOf(i: number): ApiResource {
  const { apiVersion, kind } = kinds[i % kinds.length];
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return {
    group,
    version,
    kind,
    resource: plurals[kind],
    singularName: kind.toLowerCase(),
    namespaced: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: [],
    categories: [],
  };
}

/** The `kubectl get` names of the ten kinds. */
export const kubectlResources = Object.values(plurals);
