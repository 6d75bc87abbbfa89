// Pods: what scheduling and admission add to a PodSpec beyond the plain defaults.
import { isDeepStrictEqual } from 'node:util';
import { deleteDefaults, deleteIfEmpty, isMap, mapAt, mapsAt, type JsonMap } from '../fields.ts';
import { stripPodSpecDefaults } from './pod-spec.ts';

const serviceAccountVolumePrefix = 'kube-api-access-';

// Added by the DefaultTolerationSeconds admission plugin.
const admissionTolerations = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({
  key,
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
}));

function withoutServiceAccountVolumes(spec: JsonMap): void {
  const isInjected = (name: unknown) => typeof name === 'string' && name.startsWith(serviceAccountVolumePrefix);
  if (Array.isArray(spec.volumes)) spec.volumes = spec.volumes.filter((volume) => !(isMap(volume) && isInjected(volume.name)));
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const container of mapsAt(spec, list)) {
      if (Array.isArray(container.volumeMounts)) {
        container.volumeMounts = container.volumeMounts.filter((mount) => !(isMap(mount) && isInjected(mount.name)));
        deleteIfEmpty(container, 'volumeMounts');
      }
    }
  }
  deleteIfEmpty(spec, 'volumes');
}

export function stripPod(pod: JsonMap): void {
  const spec = mapAt(pod, 'spec');
  if (!spec) return;
  delete spec.nodeName;
  // priority is resolved from priorityClassName at admission.
  delete spec.priority;
  if (spec.serviceAccount === spec.serviceAccountName) delete spec.serviceAccount;
  deleteDefaults(spec, { serviceAccountName: 'default', preemptionPolicy: 'PreemptLowerPriority' });
  withoutServiceAccountVolumes(spec);
  if (Array.isArray(spec.tolerations)) {
    spec.tolerations = spec.tolerations.filter((toleration) => !admissionTolerations.some((added) => isDeepStrictEqual(added, toleration)));
    deleteIfEmpty(spec, 'tolerations');
  }
  stripPodSpecDefaults(spec);
}
