// The values a kube-apiserver v1.32 fills in on create: API defaults (which, arriving with the
// request, count as the writer's fields in managedFields) and server-assigned values such as cluster
// IPs and finalizers (added later in the request, owned by nobody).
import { copyJson } from '../json/index.ts';
import { isBuiltinResource } from './catalog.ts';
import type { KubeObject, ResourceDef } from './types.ts';
import { isPlainObject, itemElement, type PlainObject } from './value-fields.ts';

export interface Allocator {
  clusterIP(): string;
  nodePort(): number;
}

// Paths (FieldsV1 elements) that applyCreateDefaults assigned as the server rather than as an API
// default, per object, so that recordWrite can leave them unowned on create.
const SERVER_ASSIGNED = new WeakMap<KubeObject, string[][]>();

/** The server-assigned paths applyCreateDefaults set on `object` (none when it did not run on it). */
export function serverAssignedPaths(object: KubeObject): string[][] {
  return SERVER_ASSIGNED.get(object) ?? [];
}

/** Fills `object` in place as the real server does on create. */
export function applyCreateDefaults(def: ResourceDef, object: KubeObject, allocator: Allocator): void {
  applyApiDefaults(def, object);
  SERVER_ASSIGNED.set(object, assignOnCreate(def, object, allocator));
}

/**
 * On update, patch and apply: keeps what the server assigned earlier (cluster IPs, node ports, a
 * claim's bound volume, namespace finalizers, a Job's generated selector) when `next` leaves it out,
 * allocates node ports for new ports, and fills API defaults again.
 */
export function carryServerAssigned(
  def: ResourceDef,
  previous: KubeObject,
  next: KubeObject,
  allocator: Allocator,
): void {
  applyApiDefaults(def, next);
  if (!isBuiltinResource(def)) return;
  const prevSpec = isPlainObject(previous.spec) ? previous.spec : {};
  switch (def.kind) {
    case 'Service': {
      const spec = objectAt(next, 'spec');
      for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'healthCheckNodePort']) {
        if ((spec[field] === undefined || spec[field] === '') && prevSpec[field] !== undefined)
          spec[field] = copyJson(prevSpec[field]);
      }
      const previousPorts = arrayAt(prevSpec, 'ports').filter(isPlainObject);
      for (const port of arrayAt(spec, 'ports').filter(isPlainObject)) {
        if (port.nodePort !== undefined) continue;
        const same = previousPorts.find(
          (p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'),
        );
        if (same?.nodePort !== undefined) port.nodePort = same.nodePort;
      }
      assignService(spec, allocator);
      break;
    }
    case 'PersistentVolumeClaim':
      if (specOf(next).volumeName === undefined && prevSpec.volumeName !== undefined)
        specOf(next).volumeName = prevSpec.volumeName;
      break;
    case 'Namespace':
      if (specOf(next).finalizers === undefined && prevSpec.finalizers !== undefined)
        specOf(next).finalizers = copyJson(prevSpec.finalizers);
      break;
    case 'Job':
      if (specOf(next).selector === undefined && prevSpec.selector !== undefined)
        specOf(next).selector = copyJson(prevSpec.selector);
      break;
  }
}

// ---- API defaults (SetDefaults_* of the v1.32 API types) ----

function applyApiDefaults(def: ResourceDef, object: KubeObject): void {
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

function defaultPodTemplate(template: PlainObject): void {
  setDefault(objectAt(template, 'metadata'), 'creationTimestamp', null);
  defaultPodSpec(objectAt(template, 'spec'));
}

function defaultPodSpec(spec: PlainObject): void {
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    for (const container of arrayAt(spec, list).filter(isPlainObject)) defaultContainer(container);
  }
  for (const volume of arrayAt(spec, 'volumes').filter(isPlainObject)) defaultVolume(volume);
}

function defaultContainer(container: PlainObject): void {
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'imagePullPolicy', pullPolicyFor(String(container.image ?? '')));
  setDefault(container, 'resources', {});
  for (const port of arrayAt(container, 'ports').filter(isPlainObject)) setDefault(port, 'protocol', 'TCP');
  for (const env of arrayAt(container, 'env').filter(isPlainObject)) {
    const fieldRef = isPlainObject(env.valueFrom) ? env.valueFrom.fieldRef : undefined;
    if (isPlainObject(fieldRef)) setDefault(fieldRef, 'apiVersion', 'v1');
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (isPlainObject(container[probe])) defaultProbe(container[probe] as PlainObject);
  }
}

// Always for ':latest' or no tag, IfNotPresent otherwise (a digest counts as pinned).
function pullPolicyFor(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: PlainObject): void {
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (isPlainObject(probe.httpGet)) setDefault(probe.httpGet, 'scheme', 'HTTP');
}

function defaultVolume(volume: PlainObject): void {
  if (!Object.keys(volume).some((k) => k !== 'name')) volume.emptyDir = {};
  for (const source of ['configMap', 'secret', 'projected', 'downwardAPI']) {
    if (isPlainObject(volume[source])) setDefault(volume[source] as PlainObject, 'defaultMode', 420);
  }
  if (isPlainObject(volume.hostPath)) setDefault(volume.hostPath, 'type', '');
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

// ---- values the server assigns on create, outside the API defaults ----

function assignOnCreate(def: ResourceDef, object: KubeObject, allocator: Allocator): string[][] {
  if (!isBuiltinResource(def)) return [];
  const assigned: string[][] = [];
  const addFinalizer = (finalizer: string) => {
    const finalizers = (object.metadata.finalizers as string[] | undefined) ?? [];
    if (finalizers.includes(finalizer)) return;
    object.metadata.finalizers = [...finalizers, finalizer];
    assigned.push(
      finalizers.length === 0
        ? ['f:metadata', 'f:finalizers']
        : ['f:metadata', 'f:finalizers', `v:${JSON.stringify(finalizer)}`],
    );
  };
  switch (def.kind) {
    case 'Service':
      assigned.push(...assignService(specOf(object), allocator));
      object.status ??= { loadBalancer: {} };
      break;
    case 'Namespace':
      setDefault(specOf(object), 'finalizers', ['kubernetes']);
      assigned.push(['f:spec', 'f:finalizers']);
      object.status ??= { phase: 'Active' };
      break;
    case 'PersistentVolumeClaim':
      addFinalizer('kubernetes.io/pvc-protection');
      object.status ??= { phase: 'Pending' };
      break;
    case 'PersistentVolume':
      addFinalizer('kubernetes.io/pv-protection');
      object.status ??= { phase: 'Pending' };
      break;
    case 'Pod':
      object.status ??= { phase: 'Pending', qosClass: qosClassOf(specOf(object)) };
      break;
    case 'Ingress':
      object.status ??= { loadBalancer: {} };
      break;
    case 'Job':
      assigned.push(...assignJobSelector(object));
      break;
  }
  if (def.subresources.includes('status')) object.status ??= {};
  return assigned;
}

// The Job's generateSelector (unless spec.manualSelector): its pods carry the Job's uid and name as labels and the
// selector picks the uid; a Job without labels of its own shows its template's, as reading it back defaults them.
function assignJobSelector(job: KubeObject): string[][] {
  const spec = specOf(job);
  if (spec.manualSelector === true) return [];
  const uid = String(job.metadata.uid);
  const name = String(job.metadata.name);
  const generated = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  const assigned: string[][] = [];
  const addEntries = (path: string[], map: PlainObject | undefined, entries: Record<string, string>): PlainObject => {
    const target = map ?? {};
    for (const [key, value] of Object.entries(entries)) {
      if (target[key] !== undefined) continue;
      target[key] = value;
      if (map) assigned.push([...path, `f:${key}`]);
    }
    if (!map) assigned.push(path);
    return target;
  };
  const templateMeta = objectAt(objectAt(spec, 'template'), 'metadata');
  const templateLabels = isPlainObject(templateMeta.labels) ? templateMeta.labels : undefined;
  templateMeta.labels = addEntries(['f:spec', 'f:template', 'f:metadata', 'f:labels'], templateLabels, generated);
  const selector = isPlainObject(spec.selector) ? spec.selector : undefined;
  if (!selector) assigned.push(['f:spec', 'f:selector']);
  const matchLabels = selector && isPlainObject(selector.matchLabels) ? selector.matchLabels : undefined;
  spec.selector = { ...selector, matchLabels: { ...matchLabels, 'batch.kubernetes.io/controller-uid': uid } };
  if (selector && !matchLabels?.['batch.kubernetes.io/controller-uid'])
    assigned.push(
      matchLabels
        ? ['f:spec', 'f:selector', 'f:matchLabels', 'f:batch.kubernetes.io/controller-uid']
        : ['f:spec', 'f:selector', 'f:matchLabels'],
    );
  if (!job.metadata.labels || Object.keys(job.metadata.labels).length === 0) {
    job.metadata.labels = { ...(templateMeta.labels as Record<string, string>) };
    assigned.push(['f:metadata', 'f:labels']);
  }
  return assigned;
}

// Allocates what a Service still lacks; returns the paths it assigned.
function assignService(spec: PlainObject, allocator: Allocator): string[][] {
  if (spec.type === 'ExternalName') return [];
  const assigned: string[][] = [];
  if (spec.clusterIP === undefined || spec.clusterIP === '') {
    spec.clusterIP = allocator.clusterIP();
    assigned.push(['f:spec', 'f:clusterIP']);
  }
  if (spec.clusterIPs === undefined) {
    spec.clusterIPs = [spec.clusterIP];
    assigned.push(['f:spec', 'f:clusterIPs']);
  }
  for (const [field, value] of [
    ['ipFamilies', ['IPv4']],
    ['ipFamilyPolicy', 'SingleStack'],
  ] as const) {
    if (spec[field] === undefined) {
      spec[field] = structuredClone(value);
      assigned.push(['f:spec', `f:${field}`]);
    }
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const shape = { type: 'map' as const, keys: ['port', 'protocol'], keyDefaults: { protocol: 'TCP' } };
    for (const port of arrayAt(spec, 'ports').filter(isPlainObject)) {
      if (port.nodePort !== undefined) continue;
      port.nodePort = allocator.nodePort();
      assigned.push(['f:spec', 'f:ports', itemElement(shape, port), 'f:nodePort']);
    }
  }
  return assigned;
}

function qosClassOf(spec: PlainObject): string {
  const resources = arrayAt(spec, 'containers')
    .filter(isPlainObject)
    .map((c) => (isPlainObject(c.resources) ? c.resources : {}));
  const has = (r: PlainObject, field: string) =>
    isPlainObject(r[field]) && Object.keys(r[field] as PlainObject).length > 0;
  if (resources.every((r) => !has(r, 'requests') && !has(r, 'limits'))) return 'BestEffort';
  const guaranteed = resources.every((r) => {
    const limits = (r.limits ?? {}) as PlainObject;
    const requests = (r.requests ?? limits) as PlainObject;
    return ['cpu', 'memory'].every((k) => limits[k] !== undefined && requests[k] === limits[k]);
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

// ---- small accessors that create what they reach ----

// Go's defaulting tests a string field against "" (its zero value), so `type: ""` is defaulted like a missing field.
function setDefault(target: PlainObject, field: string, value: unknown): void {
  if (target[field] === undefined || (target[field] === '' && typeof value === 'string')) target[field] = value;
}

/** The object's spec, made an empty map when it is none. */
function specOf(object: KubeObject): PlainObject {
  return objectAt(object, 'spec');
}

function objectAt(parent: PlainObject, field: string): PlainObject {
  if (!isPlainObject(parent[field])) parent[field] = {};
  return parent[field] as PlainObject;
}

function arrayAt(parent: PlainObject, field: string): unknown[] {
  return Array.isArray(parent[field]) ? (parent[field] as unknown[]) : [];
}
