// The API defaults a kube-apiserver v1.32 fills in on create and on every update (SetDefaults_* of the API types):
// they arrive with the request, so they count as the writer's fields in managedFields.
import { isBuiltinResource } from './catalog.ts';
import { arrayAt, objectAt, setDefault, specOf } from './field-defaulting.ts';
import { defaultPodSpec, defaultPodTemplate } from './pod-defaults.ts';
import type { KubeObject, ResourceDef } from './types.ts';
import { isPlainObject, type PlainObject } from './value-fields.ts';

export function applyApiDefaults(def: ResourceDef, object: KubeObject): void {
  if (!isBuiltinResource(def)) return;
  switch (def.kind) {
    case 'Pod':
      defaultPodSpec(specOf(object));
      setDefault(specOf(object), 'enableServiceLinks', true);
      break;
    case 'PodTemplate':
      defaultPodTemplate(objectAt(object, 'template'));
      break;
    case 'ReplicationController':
      setDefault(specOf(object), 'replicas', 1);
      if (isPlainObject(specOf(object).template)) defaultPodTemplate(specOf(object).template as PlainObject);
      break;
    case 'Deployment':
      defaultDeployment(specOf(object));
      break;
    case 'ReplicaSet':
      setDefault(specOf(object), 'replicas', 1);
      defaultPodTemplate(objectAt(specOf(object), 'template'));
      break;
    case 'StatefulSet':
      defaultStatefulSet(specOf(object));
      break;
    case 'DaemonSet':
      defaultDaemonSet(specOf(object));
      break;
    case 'Job':
      defaultJob(specOf(object));
      break;
    case 'CronJob':
      defaultCronJob(specOf(object));
      break;
    case 'Service':
      defaultService(specOf(object));
      break;
    case 'Namespace':
      object.metadata.labels = { ...object.metadata.labels, 'kubernetes.io/metadata.name': object.metadata.name ?? '' };
      break;
    case 'PersistentVolumeClaim':
      setDefault(specOf(object), 'volumeMode', 'Filesystem');
      break;
    case 'PersistentVolume':
      defaultPersistentVolume(specOf(object));
      break;
    case 'Secret':
      defaultSecret(object);
      break;
    case 'NetworkPolicy':
      defaultNetworkPolicy(specOf(object));
      break;
    case 'CustomResourceDefinition':
      setDefault(objectAt(specOf(object), 'conversion'), 'strategy', 'None');
      break;
  }
}

function defaultDeployment(spec: PlainObject): void {
  setDefault(spec, 'replicas', 1);
  const strategy = objectAt(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = objectAt(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', '25%');
    setDefault(rolling, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(objectAt(spec, 'template'));
}

function defaultStatefulSet(spec: PlainObject): void {
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = objectAt(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') setDefault(objectAt(strategy, 'rollingUpdate'), 'partition', 0);
  setDefault(spec, 'revisionHistoryLimit', 10);
  const retention = objectAt(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  defaultPodTemplate(objectAt(spec, 'template'));
  for (const claim of arrayAt(spec, 'volumeClaimTemplates').filter(isPlainObject)) {
    setDefault(claim, 'apiVersion', 'v1');
    setDefault(claim, 'kind', 'PersistentVolumeClaim');
    setDefault(objectAt(claim, 'metadata'), 'creationTimestamp', null);
    setDefault(objectAt(claim, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(objectAt(claim, 'status'), 'phase', 'Pending');
  }
}

function defaultDaemonSet(spec: PlainObject): void {
  const strategy = objectAt(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = objectAt(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', 1);
    setDefault(rolling, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(objectAt(spec, 'template'));
}

function defaultJob(spec: PlainObject): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'manualSelector', false);
  if (spec.podFailurePolicy === undefined) setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  defaultPodTemplate(objectAt(spec, 'template'));
}

function defaultCronJob(spec: PlainObject): void {
  setDefault(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  const jobTemplate = objectAt(spec, 'jobTemplate');
  setDefault(objectAt(jobTemplate, 'metadata'), 'creationTimestamp', null);
  defaultPodTemplate(objectAt(objectAt(jobTemplate, 'spec'), 'template'));
}

function defaultService(spec: PlainObject): void {
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  for (const port of arrayAt(spec, 'ports').filter(isPlainObject)) {
    setDefault(port, 'protocol', 'TCP');
    setDefault(port, 'targetPort', port.port);
  }
  if (spec.type !== 'ExternalName') setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') setDefault(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
}

function defaultPersistentVolume(spec: PlainObject): void {
  setDefault(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setDefault(spec, 'volumeMode', 'Filesystem');
  if (isPlainObject(spec.hostPath)) setDefault(spec.hostPath, 'type', '');
}

// stringData is write-only: the server folds it into data, base64-encoded.
function defaultSecret(object: KubeObject): void {
  setDefault(object, 'type', 'Opaque');
  if (!isPlainObject(object.stringData)) return;
  const data = objectAt(object, 'data');
  for (const [key, value] of Object.entries(object.stringData))
    data[key] = Buffer.from(String(value), 'utf8').toString('base64');
  delete object.stringData;
}

function defaultNetworkPolicy(spec: PlainObject): void {
  if (spec.policyTypes === undefined)
    spec.policyTypes = spec.egress === undefined ? ['Ingress'] : ['Ingress', 'Egress'];
  for (const rule of [...arrayAt(spec, 'ingress'), ...arrayAt(spec, 'egress')].filter(isPlainObject)) {
    for (const port of arrayAt(rule, 'ports').filter(isPlainObject)) setDefault(port, 'protocol', 'TCP');
  }
}
