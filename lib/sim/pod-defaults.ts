// The API defaults of a pod spec (SetDefaults_PodSpec, _Container, _Probe, _Volume of the v1.32 API), wherever a pod
// spec stands: a Pod, or the template of a workload.
import { arrayAt, objectAt, setDefault } from './field-defaulting.ts';
import { isPlainObject, type PlainObject } from './value-fields.ts';

export function defaultPodTemplate(template: PlainObject): void {
  setDefault(objectAt(template, 'metadata'), 'creationTimestamp', null);
  defaultPodSpec(objectAt(template, 'spec'));
}

export function defaultPodSpec(spec: PlainObject): void {
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
