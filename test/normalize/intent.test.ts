// What the user asked for survives and nothing the cluster added does, per recorded object.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalizeObject, type KubeObject, type NormalizeOptions } from '../../lib/normalize/index.ts';
import { recordedObjects } from './recorded-fixtures.ts';
import { testDigestKey } from '../helpers/digest-key.ts';

const recorded = new Map(recordedObjects().map((entry) => [entry.file.replace(/\.json$/, ''), entry]));

function normalized(name: string, options?: NormalizeOptions): any {
  const entry = recorded.get(name);
  if (!entry) throw new Error(`no recorded object ${name}`);
  const result = normalizeObject(entry.raw, entry.info, { digestKey: testDigestKey, ...options });
  if (result.action !== 'keep') throw new Error(`${name} was skipped: ${result.reason}`);
  return result.object;
}

function skipReason(name: string, options?: NormalizeOptions): string | undefined {
  const entry = recorded.get(name)!;
  const result = normalizeObject(entry.raw, entry.info, { digestKey: testDigestKey, ...options });
  return result.action === 'skip' ? result.reason : undefined;
}

/** Every key anywhere in the object, to assert that a default appears nowhere. */
function allKeys(value: unknown, keys = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => allKeys(item, keys));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      keys.add(key);
      allKeys(child, keys);
    }
  }
  return keys;
}

const serverKeys = [
  'status',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'imagePullPolicy',
  'dnsPolicy',
  'schedulerName',
  'securityContext',
  'terminationGracePeriodSeconds',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'strategy',
  'podManagementPolicy',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'volumeMode',
  'concurrencyPolicy',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'suspend',
  'clusterIPs',
  'ipFamilies',
  'ipFamilyPolicy',
  'internalTrafficPolicy',
  'externalTrafficPolicy',
  'sessionAffinity',
  'nodePort',
  'protocol',
  'volumeName',
  'claimRef',
  'finalizers',
  'conversion',
];

function assertNoServerKeys(object: unknown, name: string, except: string[] = []): void {
  const keys = allKeys(object);
  for (const key of serverKeys) if (!except.includes(key)) assert.not.ok(keys.has(key), `${name} still has ${key}`);
}

test('web Deployment (kubectl create, scale, set image, label) keeps the edits and loses every default', () => {
  const web = normalized('shop_deployments.apps_web');
  assert.equal(web, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels: { app: 'web' }, name: 'web', namespace: 'shop' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ image: 'nginx:1.27.1', name: 'nginx' }] },
      },
    },
  });
  assert.not.ok(JSON.stringify(web).includes('deployment.kubernetes.io/revision'));
});

test('payments api (server-side apply) comes out as exactly what was applied', () => {
  assert.equal(normalized('payments_deployments.apps_api'), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels: { app: 'api' }, name: 'api', namespace: 'payments' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'api' } },
      template: {
        metadata: { labels: { app: 'api' } },
        spec: {
          containers: [
            {
              env: [{ name: 'LOG_LEVEL', value: 'info' }],
              image: 'registry.example.com/payments/api:v2.4.1',
              name: 'api',
              ports: [{ containerPort: 8080 }],
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
          ],
        },
      },
    },
  });
});

test('client-side apply: last-applied-configuration goes, what it applied stays', () => {
  const legacy = normalized('shop_deployments.apps_legacy');
  assert.is(legacy.metadata.annotations, undefined);
  assert.equal(legacy.spec.template.spec.containers, [
    { command: ['sleep', '3600'], image: 'busybox:1.36', name: 'legacy' },
  ]);
  assert.is(legacy.spec.replicas, 1);
});

test('every Service type: allocated addresses and ports go, headless stays headless', () => {
  const clusterIP = normalized('payments_services_api');
  assert.equal(clusterIP.spec, { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'api' } });
  const nodePort = normalized('payments_services_api-nodeport');
  assert.equal(nodePort.spec, { ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'api' }, type: 'NodePort' });
  const headless = normalized('payments_services_api-headless');
  assert.equal(headless.spec, { clusterIP: 'None', ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'api' } });
  for (const service of [clusterIP, nodePort, headless]) assertNoServerKeys(service, service.metadata.name);
});

test('StatefulSet: templates lose creationTimestamp: null, status and defaults', () => {
  const ledger = normalized('payments_statefulsets.apps_ledger');
  assertNoServerKeys(ledger, 'ledger');
  assert.equal(ledger.spec.volumeClaimTemplates, [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    },
  ]);
  assert.is(ledger.spec.serviceName, 'ledger');
});

test('CronJob: job template and its pod template are clean', () => {
  const cronJob = normalized('payments_cronjobs.batch_nightly-report');
  assertNoServerKeys(cronJob, 'nightly-report');
  assert.equal(cronJob.spec, {
    jobTemplate: {
      spec: {
        template: {
          spec: {
            containers: [{ image: 'registry.example.com/payments/report:v1', name: 'report' }],
            restartPolicy: 'OnFailure',
          },
        },
      },
    },
    schedule: '0 2 * * *',
  });
});

test('the Job made from the CronJob is skipped as owned, and clean when owned objects are included', () => {
  assert.is(skipReason('payments_jobs.batch_manual-report'), 'owned');
  const job = normalized('payments_jobs.batch_manual-report', { include: new Set(['owned']) });
  // Its ownerReference is kept (with the owner's uid) when owned objects are asked for.
  assertNoServerKeys(job, 'manual-report', ['uid']);
  assert.is(job.metadata.uid, undefined);
  assert.not.ok(JSON.stringify(job).includes('controller-uid'));
  assert.is(job.spec.selector, undefined);
  assert.is(job.spec.template.spec.restartPolicy, 'OnFailure');
});

test('PVC and PV: binding state goes, the claim and the volume stay', () => {
  const claim = normalized('payments_persistentvolumeclaims_uploads');
  assertNoServerKeys(claim, 'uploads');
  assert.is(claim.metadata.annotations, undefined);
  assert.is(claim.spec.storageClassName, '');
  const volume = normalized('_cluster_persistentvolumes_local-pv-1');
  assertNoServerKeys(volume, 'local-pv-1');
  assert.equal(volume.spec, {
    accessModes: ['ReadWriteOnce'],
    capacity: { storage: '1Gi' },
    hostPath: { path: '/tmp/pv1' },
  });
});

test('Namespace keeps its own labels only', () => {
  assert.equal(normalized('_cluster_namespaces_payments'), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { labels: { team: 'payments' }, name: 'payments' },
  });
});

test('ServiceAccount without managedFields is kept as identity only', () => {
  assert.equal(normalized('payments_serviceaccounts_api'), {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'api', namespace: 'payments' },
  });
});

test('Secrets: the token Secret is skipped, the Opaque one redacted, skip and plain on request', () => {
  assert.is(skipReason('payments_secrets_api-token'), 'service-account-tokens');
  const redacted = normalized('payments_secrets_api-credentials');
  assert.match(redacted.data.DB_PASSWORD, /^hmac-sha256:[0-9a-f]{64}$/);
  assert.is(redacted.type, 'Opaque');
  const text = JSON.stringify(redacted);
  assert.not.ok(text.includes('s3cr3t-do-not-commit'));
  assert.not.ok(text.includes('czNjcjN0LWRvLW5vdC1jb21taXQ='));
  assert.is(skipReason('payments_secrets_api-credentials', { secrets: 'skip' }), 'secrets');
  assert.is(
    skipReason('payments_secrets_api-credentials', { secrets: 'skip', include: new Set(['secrets']) }),
    'secrets',
  );
  assert.is(
    normalized('payments_secrets_api-credentials', { secrets: 'plain' }).data.DB_PASSWORD,
    'czNjcjN0LWRvLW5vdC1jb21taXQ=',
  );
});

test('the CRD loses its defaulted conversion and listKind, the Widget keeps its spec', () => {
  const crd = normalized('_cluster_customresourcedefinitions.apiextensions.k8s.io_widgets.example.com');
  // The schema describes a `status` property: that one is the user's.
  assertNoServerKeys(crd, 'widgets.example.com', ['status']);
  assert.is(crd.status, undefined);
  assert.equal(crd.spec.names, { kind: 'Widget', plural: 'widgets', shortNames: ['wd'], singular: 'widget' });
  assert.is(crd.spec.versions[0].schema.openAPIV3Schema.properties.status.type, 'object');
  assert.equal(normalized('shop_widgets.example.com_blue'), {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'blue', namespace: 'shop' },
    spec: { color: 'blue', size: 3 },
  });
});

test('a list item without apiVersion and kind gets them from the resource', () => {
  const entry = recorded.get('shop_configmaps_web-config')!;
  const { apiVersion, kind, ...item } = entry.raw;
  const result = normalizeObject(item as KubeObject, entry.info, { digestKey: testDigestKey });
  assert.is(result.action, 'keep');
  if (result.action === 'keep') assert.equal(Object.keys(result.object).slice(0, 2), ['apiVersion', 'kind']);
  if (result.action === 'keep') assert.equal([result.object.apiVersion, result.object.kind], [apiVersion, kind]);
});

test.run();
