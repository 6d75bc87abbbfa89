import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyCreateDefaults, carryServerAssigned } from '../../lib/sim/defaults.ts';
import {
  allocatorOf,
  apply,
  def,
  recorded,
  recordedListItem,
  withoutServerFields,
  type KubeObject,
} from './semantics-fixtures.ts';

function defaulted(group: string, resource: string, sent: KubeObject, allocator = allocatorOf([])): KubeObject {
  const object = structuredClone(sent);
  applyCreateDefaults(def(group, resource), object, allocator);
  return object;
}

test('Deployment web (kubectl create): pod template and rollout defaults as recorded', () => {
  const fixture = recorded('objects/shop_deployments.apps_web.json');
  const sent: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27.1' }] },
      },
    },
  };
  assert.equal(defaulted('apps', 'deployments', sent).spec, fixture.spec);
});

test('Deployment api (server-side apply): env, ports, resources kept; protocol defaulted', () => {
  const fixture = recorded('objects/payments_deployments.apps_api.json');
  const sent = withoutServerFields(fixture) as KubeObject & { spec: any };
  delete sent.metadata.annotations;
  const c = sent.spec.template.spec.containers[0];
  for (const f of ['imagePullPolicy', 'terminationMessagePath', 'terminationMessagePolicy']) delete c[f];
  delete c.ports[0].protocol;
  for (const f of ['dnsPolicy', 'restartPolicy', 'schedulerName', 'securityContext', 'terminationGracePeriodSeconds'])
    delete sent.spec.template.spec[f];
  for (const f of ['progressDeadlineSeconds', 'revisionHistoryLimit', 'strategy']) delete sent.spec[f];
  delete sent.spec.template.metadata.creationTimestamp;
  assert.equal(defaulted('apps', 'deployments', sent).spec, fixture.spec);
});

test('image pull policy: Always for latest or untagged, IfNotPresent for tags and digests', () => {
  const policy = (image: string) => {
    const d = defaulted('apps', 'deployments', {
      metadata: { name: 'x' },
      spec: { template: { spec: { containers: [{ name: 'c', image }] } } },
    }) as any;
    return d.spec.template.spec.containers[0].imagePullPolicy;
  };
  assert.is(policy('nginx'), 'Always');
  assert.is(policy('nginx:latest'), 'Always');
  assert.is(policy('registry:5000/nginx'), 'Always');
  assert.is(policy('registry:5000/nginx:1.2'), 'IfNotPresent');
  assert.is(policy('nginx@sha256:abc'), 'IfNotPresent');
});

test('Services: ClusterIP, NodePort and headless (clusterIP None stays None) as recorded', () => {
  for (const [name, ips, ports] of [
    ['api', ['10.0.0.74'], []],
    ['api-nodeport', ['10.0.0.72'], [31819]],
    ['api-headless', [], []],
  ] as const) {
    const fixture = recorded(`objects/payments_services_${name}.json`);
    const applied: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'payments' },
      spec: { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'api' } },
    };
    if (name === 'api-nodeport') (applied.spec as any).type = 'NodePort';
    if (name === 'api-headless') (applied.spec as any).clusterIP = 'None';
    const object = defaulted('', 'services', applied, allocatorOf([...ips], [...ports]));
    assert.equal(object.spec, fixture.spec, name);
    assert.equal(object.status, fixture.status, name);
  }
});

test('Service update keeps the allocated cluster IP and node ports, allocates only new node ports', () => {
  const services = def('', 'services');
  const live = defaulted(
    '',
    'services',
    { metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } },
    allocatorOf(['10.0.0.5'], [30001]),
  );
  const next: KubeObject = {
    metadata: { name: 's' },
    spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443 }] },
  };
  carryServerAssigned(services, live, next, allocatorOf(['10.0.0.6'], [30002]));
  assert.equal((next.spec as any).clusterIP, '10.0.0.5');
  assert.equal((next.spec as any).clusterIPs, ['10.0.0.5']);
  assert.equal(
    (next.spec as any).ports.map((p: any) => p.nodePort),
    [30001, 30002],
  );
});

test('StatefulSet ledger: update strategy, retention policy and volume claim template defaults', () => {
  const fixture = recorded('objects/payments_statefulsets.apps_ledger.json') as KubeObject & { spec: any };
  const applied: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'ledger', namespace: 'payments' },
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
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
    },
  };
  assert.equal(defaulted('apps', 'statefulsets', applied).spec, fixture.spec);
});

test('CronJob and the Job made from it', () => {
  const cron = recorded('objects/payments_cronjobs.batch_nightly-report.json') as KubeObject & { spec: any };
  const podSpec = {
    restartPolicy: 'OnFailure',
    containers: [{ name: 'report', image: 'registry.example.com/payments/report:v1' }],
  };
  const cronSent: KubeObject = {
    metadata: { name: 'nightly-report', namespace: 'payments' },
    spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { spec: structuredClone(podSpec) } } } },
  };
  const cronObject = defaulted('batch', 'cronjobs', cronSent);
  assert.equal(cronObject.spec, cron.spec);
  assert.equal(cronObject.status, {});

  // The selector and the controller-uid and job-name labels come from the uid the create assigned before the defaults.
  const job = recorded('objects/payments_jobs.batch_manual-report.json') as KubeObject & { spec: any };
  const jobSent: KubeObject = {
    metadata: { name: 'manual-report', namespace: 'payments', uid: job.metadata.uid },
    spec: { template: { spec: structuredClone(podSpec) } },
  };
  const jobObject = defaulted('batch', 'jobs', jobSent);
  assert.equal(jobObject.spec, job.spec);
  assert.equal(jobObject.metadata.labels, job.metadata.labels);
});

test('PersistentVolumeClaim and PersistentVolume: volume mode, reclaim policy, protection finalizers, Pending', () => {
  const pvc = recorded('objects/payments_persistentvolumeclaims_uploads.json') as KubeObject & { spec: any };
  const claim = defaulted('', 'persistentvolumeclaims', {
    metadata: { name: 'uploads', namespace: 'payments' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' },
  });
  const { volumeName: _bound, ...unbound } = pvc.spec;
  assert.equal(claim.spec, unbound);
  assert.equal(claim.metadata.finalizers, pvc.metadata.finalizers);
  assert.equal(claim.status, { phase: 'Pending' });

  const pv = recorded('objects/_cluster_persistentvolumes_local-pv-1.json') as KubeObject & { spec: any };
  const volume = defaulted('', 'persistentvolumes', {
    metadata: { name: 'local-pv-1' },
    spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/tmp/pv1' } },
  });
  const { claimRef: _claim, ...unclaimed } = pv.spec;
  assert.equal(volume.spec, unclaimed);
  assert.equal(volume.metadata.finalizers, pv.metadata.finalizers);
});

test('Namespace: metadata.name label, kubernetes finalizer, Active', () => {
  const ns = recorded('objects/_cluster_namespaces_payments.json');
  const object = defaulted('', 'namespaces', { metadata: { name: 'payments', labels: { team: 'payments' } } });
  assert.equal(withoutServerFields(object), {
    metadata: { name: 'payments', labels: ns.metadata.labels },
    spec: ns.spec,
  });
  assert.equal(object.status, ns.status);
});

test('Secret: stringData folded into data, type Opaque; ServiceAccount and ConfigMap get nothing', () => {
  const secret = recorded('objects/payments_secrets_api-credentials.json');
  const object = defaulted('', 'secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'api-credentials', namespace: 'payments' },
    stringData: { DB_PASSWORD: 's3cr3t-do-not-commit' },
  });
  assert.equal(withoutServerFields(object), withoutServerFields(secret));

  const sa = recorded('objects/payments_serviceaccounts_api.json');
  assert.equal(defaulted('', 'serviceaccounts', withoutServerFields(sa)), withoutServerFields(sa));
  const cm = recorded('objects/shop_configmaps_web-config.json');
  assert.equal(defaulted('', 'configmaps', withoutServerFields(cm)), withoutServerFields(cm));
});

test('CRD conversion strategy and a custom resource left alone', () => {
  const crd = recorded(
    'objects/_cluster_customresourcedefinitions.apiextensions.k8s.io_widgets.example.com.json',
  ) as KubeObject & { spec: any };
  const sent = structuredClone(crd.spec);
  delete sent.conversion;
  assert.equal(
    defaulted('apiextensions.k8s.io', 'customresourcedefinitions', {
      metadata: { name: crd.metadata.name },
      spec: sent,
    }).spec,
    crd.spec,
  );
  const widget = recorded('objects/shop_widgets.example.com_blue.json');
  assert.equal(defaulted('example.com', 'widgets', withoutServerFields(widget)), withoutServerFields(widget));
});

test('Pods created by a controller: container and pod spec defaults, Pending, QoS class', () => {
  const pod = recordedListItem('pods.json', 'payments', 'api-69c9d89f7-bgf2c') as KubeObject & { spec: any };
  const sent = {
    metadata: { name: 'p' },
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
  const object = defaulted('', 'pods', sent) as KubeObject & { spec: any };
  const { volumeMounts: _admission, ...container } = pod.spec.containers[0];
  assert.equal(object.spec.containers[0], container);
  for (const f of [
    'dnsPolicy',
    'restartPolicy',
    'schedulerName',
    'securityContext',
    'terminationGracePeriodSeconds',
    'enableServiceLinks',
  ])
    assert.equal(object.spec[f], pod.spec[f], f);
  assert.equal(object.status, pod.status);
});

test('carryServerAssigned re-applies defaults and keeps a bound claim and a Job selector', () => {
  const live = apply(
    def('', 'persistentvolumeclaims'),
    undefined,
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'c', namespace: 'n' },
      spec: { accessModes: ['ReadWriteOnce'] },
    },
    'kubectl',
  );
  (live.spec as any).volumeName = 'pv-1';
  const next: KubeObject = { metadata: { name: 'c', namespace: 'n' }, spec: { accessModes: ['ReadWriteOnce'] } };
  carryServerAssigned(def('', 'persistentvolumeclaims'), live, next, allocatorOf([]));
  assert.equal(next.spec, { accessModes: ['ReadWriteOnce'], volumeName: 'pv-1', volumeMode: 'Filesystem' });

  const job: KubeObject = {
    metadata: { name: 'j' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [] } } },
  };
  const jobNext: KubeObject = { metadata: { name: 'j' }, spec: { template: { spec: { containers: [] } } } };
  carryServerAssigned(def('batch', 'jobs'), job, jobNext, allocatorOf([]));
  assert.equal((jobNext.spec as any).selector, { matchLabels: { a: 'b' } });
  assert.is((jobNext.spec as any).backoffLimit, 6);
});

test.run();
