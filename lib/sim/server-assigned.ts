// The values a kube-apiserver v1.32 assigns on create outside the API defaults — cluster IPs, node ports,
// finalizers, a Job's generated selector, initial status — each returned as the FieldsV1 path it set, since they
// are added later in the request and owned by nobody.
import type { Allocator } from './allocator.ts';
import { isBuiltinResource } from './catalog.ts';
import { arrayAt, objectAt, setDefault, specOf } from './field-defaulting.ts';
import type { KubeObject, ResourceDef } from './types.ts';
import { isPlainObject, itemElement, type PlainObject } from './value-fields.ts';

export function assignOnCreate(def: ResourceDef, object: KubeObject, allocator: Allocator): string[][] {
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
export function assignService(spec: PlainObject, allocator: Allocator): string[][] {
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
