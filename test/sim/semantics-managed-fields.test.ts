import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fieldsV1Of } from '../../lib/sim/managed-fields.ts';
import { specChanged } from '../../lib/sim/generation.ts';
import {
  T1,
  T2,
  allocatorOf,
  apply,
  create,
  def,
  fieldsOf,
  recorded,
  recordedListItem,
  update,
  withoutServerFields,
  type KubeObject,
} from './semantics-fixtures.ts';

const deployments = def('apps', 'deployments');

function entriesByManager(object: KubeObject) {
  return Object.fromEntries(
    object.metadata.managedFields!.map(({ time: _t, ...e }) => [`${e.manager}/${e.subresource ?? ''}`, e]),
  );
}

function webAsCreated(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      strategy: {},
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27.0', resources: {} }] },
      },
    },
    status: {},
  };
}

test('Deployment web: kubectl create, scale, set image and the controller give the recorded managedFields', () => {
  const fixture = recorded('objects/shop_deployments.apps_web.json');
  let live = create(deployments, webAsCreated(), 'kubectl-create', allocatorOf([]), T1);

  // kubectl create owns everything it sent and every default.
  const created = structuredClone(fieldsOf(fixture, 'kubectl-create')) as any;
  created['f:spec']['f:replicas'] = {};
  created['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']['f:image'] = {};
  assert.equal(fieldsOf(live, 'kubectl-create'), created);

  const scaled = structuredClone(live) as any;
  scaled.spec.replicas = 3;
  live = update(deployments, live, scaled, 'kubectl', 'scale', T2);
  const imaged = structuredClone(live) as any;
  imaged.spec.template.spec.containers[0].image = 'nginx:1.27.1';
  live = update(deployments, live, imaged, 'kubectl-set', undefined, T2);
  const controlled = structuredClone(live) as any;
  controlled.metadata.annotations = fixture.metadata.annotations;
  controlled.status = fixture.status;
  live = update(deployments, live, controlled, 'kube-controller-manager', 'status', T2);

  // The recorded scale entry carries no time (so the server sorts it first); ours does.
  assert.equal(entriesByManager(live), entriesByManager(fixture));
  assert.equal(live.spec, fixture.spec);
  assert.equal(
    live.metadata.managedFields!.map((e) => [e.manager, e.time]),
    [
      ['kubectl-create', T1],
      ['kube-controller-manager', T2],
      ['kubectl', T2],
      ['kubectl-set', T2],
    ],
  );
});

test('Deployment api: server-side apply owns exactly what was applied, defaults owned by nobody', () => {
  const fixture = recorded('objects/payments_deployments.apps_api.json');
  const applied: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'payments', labels: { app: 'api' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          containers: [
            {
              name: 'api',
              image: 'registry.example.com/payments/api:v2.4.1',
              ports: [{ containerPort: 8080 }],
              env: [{ name: 'LOG_LEVEL', value: 'info' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
          ],
        },
      },
    },
  };
  const live = apply(deployments, undefined, applied, 'kubectl');
  assert.equal(live.metadata.managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: T1,
      fieldsType: 'FieldsV1',
      fieldsV1: fieldsOf(fixture, 'kubectl'),
    },
  ]);
  assert.equal(live.spec, fixture.spec);
  assert.equal(fieldsV1Of(applied), fieldsOf(fixture, 'kubectl'));
});

test('every recorded Apply entry is the FieldsV1 of what was applied', () => {
  const cases: Array<[string, string, string, KubeObject]> = [
    [
      'objects/payments_services_api-nodeport.json',
      '',
      'services',
      {
        metadata: { name: 'api-nodeport' },
        spec: { type: 'NodePort', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    ],
    [
      'objects/payments_services_api-headless.json',
      '',
      'services',
      {
        metadata: { name: 'api-headless' },
        spec: { clusterIP: 'None', selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    ],
    [
      'objects/payments_statefulsets.apps_ledger.json',
      'apps',
      'statefulsets',
      {
        metadata: { name: 'ledger' },
        spec: {
          serviceName: 'ledger',
          replicas: 1,
          selector: { matchLabels: { app: 'ledger' } },
          template: {
            metadata: { labels: { app: 'ledger' } },
            spec: {
              containers: [
                {
                  name: 'db',
                  image: 'postgres:16',
                  volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
                },
              ],
            },
          },
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }],
        },
      },
    ],
    [
      'objects/payments_cronjobs.batch_nightly-report.json',
      'batch',
      'cronjobs',
      {
        metadata: { name: 'nightly-report' },
        spec: {
          schedule: '0 2 * * *',
          jobTemplate: {
            spec: {
              template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'report', image: 'r:v1' }] } },
            },
          },
        },
      },
    ],
    [
      'objects/payments_persistentvolumeclaims_uploads.json',
      '',
      'persistentvolumeclaims',
      {
        metadata: { name: 'uploads' },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: '', resources: { requests: { storage: '1Gi' } } },
      },
    ],
    [
      'objects/_cluster_persistentvolumes_local-pv-1.json',
      '',
      'persistentvolumes',
      {
        metadata: { name: 'local-pv-1' },
        spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/tmp/pv1' } },
      },
    ],
    [
      'objects/_cluster_namespaces_payments.json',
      '',
      'namespaces',
      { metadata: { name: 'payments', labels: { team: 'payments' } } },
    ],
    [
      'objects/payments_secrets_api-credentials.json',
      '',
      'secrets',
      { metadata: { name: 'api-credentials' }, type: 'Opaque', stringData: { DB_PASSWORD: 'x' } },
    ],
    [
      'objects/_cluster_clusterroles.rbac.authorization.k8s.io_snapshot-reader.json',
      'rbac.authorization.k8s.io',
      'clusterroles',
      { metadata: { name: 'snapshot-reader' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }] },
    ],
    [
      'objects/shop_widgets.example.com_blue.json',
      'example.com',
      'widgets',
      withoutServerFields(recorded('objects/shop_widgets.example.com_blue.json')),
    ],
    [
      'objects/_cluster_customresourcedefinitions.apiextensions.k8s.io_widgets.example.com.json',
      'apiextensions.k8s.io',
      'customresourcedefinitions',
      (() => {
        const c = withoutServerFields(
          recorded('objects/_cluster_customresourcedefinitions.apiextensions.k8s.io_widgets.example.com.json'),
        ) as any;
        delete c.spec.conversion;
        delete c.spec.names.listKind;
        return c;
      })(),
    ],
  ];
  for (const [path, group, resource, applied] of cases) {
    const object = apply(
      def(group, resource),
      undefined,
      { apiVersion: 'v1', kind: 'X', ...applied },
      'kubectl',
      allocatorOf(['10.0.0.1'], [30000]),
    );
    assert.equal(fieldsOf(object, 'kubectl'), fieldsOf(recorded(path), 'kubectl'), path);
  }
});

test('Update creates: defaults attributed, server-assigned values (cluster IP, finalizers) not', () => {
  const service = recordedListItem('services.json', 'shop', 'web');
  const sentService: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'web' } },
  };
  const createdService = create(def('', 'services'), sentService, 'kubectl-expose', allocatorOf(['10.0.0.23']));
  assert.equal(fieldsOf(createdService, 'kubectl-expose'), fieldsOf(service, 'kubectl-expose'));
  assert.equal(createdService.spec, service.spec);

  const ns = recordedListItem('namespaces.json', undefined, 'shop');
  const createdNs = create(
    def('', 'namespaces'),
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    'kubectl-create',
  );
  assert.equal(fieldsOf(createdNs, 'kubectl-create'), fieldsOf(ns, 'kubectl-create'));

  const claim = recordedListItem('persistentvolumeclaims.json', 'payments', 'data-ledger-0');
  const createdClaim = create(
    def('', 'persistentvolumeclaims'),
    {
      metadata: { name: 'data-ledger-0', namespace: 'payments', labels: { app: 'ledger' } },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
    'kube-controller-manager',
  );
  assert.equal(fieldsOf(createdClaim, 'kube-controller-manager'), fieldsOf(claim, 'kube-controller-manager'));
  assert.equal(withoutServerFields(createdClaim), withoutServerFields(claim));
});

test('Update creates by a controller: new lists and maps own themselves (".")', () => {
  const pod = recordedListItem('pods.json', 'payments', 'api-69c9d89f7-bgf2c') as any;
  const sent: KubeObject = {
    metadata: {
      generateName: 'api-69c9d89f7-',
      name: 'api-69c9d89f7-bgf2c',
      namespace: 'payments',
      labels: pod.metadata.labels,
      ownerReferences: pod.metadata.ownerReferences,
    },
    spec: {
      containers: [
        {
          name: 'api',
          image: 'registry.example.com/payments/api:v2.4.1',
          ports: [{ containerPort: 8080 }],
          env: [{ name: 'LOG_LEVEL', value: 'info' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
    },
  };
  const created = create(def('', 'pods'), sent, 'kube-controller-manager');
  assert.equal(fieldsOf(created, 'kube-controller-manager'), fieldsOf(pod, 'kube-controller-manager'));

  const job = recorded('objects/payments_jobs.batch_manual-report.json') as any;
  const jobSent: KubeObject = {
    metadata: {
      name: 'manual-report',
      namespace: 'payments',
      annotations: job.metadata.annotations,
      ownerReferences: job.metadata.ownerReferences,
    },
    spec: {
      template: {
        spec: {
          restartPolicy: 'OnFailure',
          containers: [{ name: 'report', image: 'registry.example.com/payments/report:v1' }],
        },
      },
    },
  };
  assert.equal(
    fieldsOf(create(def('batch', 'jobs'), jobSent, 'kubectl-create'), 'kubectl-create'),
    fieldsOf(job, 'kubectl-create'),
  );
});

test('ConfigMap: kubectl create then kubectl label', () => {
  const fixture = recorded('objects/shop_configmaps_web-config.json');
  const configmaps = def('', 'configmaps');
  const live = create(
    configmaps,
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-config', namespace: 'shop' },
      data: { greeting: 'hello' },
    },
    'kubectl-create',
  );
  const labelled = update(
    configmaps,
    live,
    { ...live, metadata: { ...live.metadata, labels: { tier: 'frontend' } } },
    'kubectl-label',
  );
  assert.equal(entriesByManager(labelled), entriesByManager(fixture));
});

test('an Update that removes a field takes it from its owner; empty entries are dropped', () => {
  const configmaps = def('', 'configmaps');
  const live = create(configmaps, { metadata: { name: 'c' }, data: { a: '1' } }, 'creator');
  const next = update(configmaps, live, { ...live, data: { b: '2' } }, 'editor');
  assert.equal(
    next.metadata.managedFields!.map((e) => [e.manager, e.fieldsV1]),
    [
      ['creator', { 'f:data': {} }],
      ['editor', { 'f:data': { 'f:b': {} } }],
    ],
  );
  const emptied = update(configmaps, next, { ...next, data: undefined }, 'editor');
  assert.equal(emptied.metadata.managedFields, []);
});

test('specChanged: spec changes bump generation, metadata and status changes do not', () => {
  const live = create(deployments, webAsCreated(), 'kubectl-create');
  const relabelled = structuredClone(live);
  relabelled.metadata.labels = { app: 'web', tier: 'x' };
  relabelled.status = { replicas: 3 };
  assert.not.ok(specChanged(deployments, live, relabelled));
  const scaled = structuredClone(live) as any;
  scaled.spec.replicas = 5;
  assert.ok(specChanged(deployments, live, scaled));
});

test.run();
