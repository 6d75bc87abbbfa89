// Defaults the API server fills into every PodSpec, in Pods and in every pod template.
import { deleteDefaults, deleteIfEmpty, deleteIfEqual, mapAt, mapsAt, type JsonMap } from '../fields.ts';
import { cleanTemplate } from '../templates.ts';

const podSpecDefaults = {
  dnsPolicy: 'ClusterFirst',
  // Jobs must say OnFailure or Never, so Always is only ever the default.
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  terminationGracePeriodSeconds: 30,
  enableServiceLinks: true,
};

const containerDefaults = {
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};

const probeDefaults = { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 };

/** Always for `:latest` or an untagged image, IfNotPresent otherwise (a digest counts as a tag). */
function defaultImagePullPolicy(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  const tag = colon === -1 ? '' : lastPart.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function stripProbe(probe: JsonMap | undefined): void {
  deleteDefaults(probe, probeDefaults);
  deleteIfEqual(mapAt(probe, 'httpGet'), 'scheme', 'HTTP');
}

function stripContainer(container: JsonMap): void {
  deleteDefaults(container, containerDefaults);
  deleteIfEqual(container, 'imagePullPolicy', defaultImagePullPolicy(container.image));
  deleteIfEmpty(container, 'resources');
  for (const port of mapsAt(container, 'ports')) deleteIfEqual(port, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) stripProbe(mapAt(container, probe));
  for (const variable of mapsAt(container, 'env'))
    deleteIfEqual(mapAt(mapAt(variable, 'valueFrom'), 'fieldRef'), 'apiVersion', 'v1');
}

function stripVolume(volume: JsonMap): void {
  for (const source of ['configMap', 'secret', 'projected', 'downwardAPI'])
    deleteIfEqual(mapAt(volume, source), 'defaultMode', 420);
  deleteIfEqual(mapAt(volume, 'hostPath'), 'type', '');
}

export function stripPodSpecDefaults(spec: JsonMap | undefined): void {
  if (!spec) return;
  deleteDefaults(spec, podSpecDefaults);
  deleteIfEmpty(spec, 'securityContext');
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'])
    mapsAt(spec, list).forEach(stripContainer);
  mapsAt(spec, 'volumes').forEach(stripVolume);
}

/** A pod template (`spec.template` of workloads): its run-time noise and its PodSpec defaults. */
export function stripPodTemplate(template: JsonMap | undefined): void {
  cleanTemplate(template);
  stripPodSpecDefaults(mapAt(template, 'spec'));
}
