// Pods: what scheduling and admission add to a PodSpec beyond the plain defaults.
import { isDeepStrictEqual } from 'node:util';
import { deleteDefaults, deleteIfEmpty, mapAt, type JsonMap } from '../fields.ts';
import { stripPodSpecDefaults } from './pod-spec.ts';
import { withoutServiceAccountVolumes } from './service-account-volumes.ts';

// Added by the DefaultTolerationSeconds admission plugin.
const admissionTolerations = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({
  key,
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
}));

export function stripPod(pod: JsonMap): void {
  const spec = mapAt(pod, 'spec');
  if (!spec) return;
  delete spec.nodeName;
  // priority is resolved from priorityClassName at admission.
  delete spec.priority;
  withoutServiceAccountVolumes(spec);
  if (spec.serviceAccount === spec.serviceAccountName) delete spec.serviceAccount;
  deleteDefaults(spec, { serviceAccountName: 'default', preemptionPolicy: 'PreemptLowerPriority' });
  if (Array.isArray(spec.tolerations)) {
    spec.tolerations = spec.tolerations.filter(
      (toleration) => !admissionTolerations.some((added) => isDeepStrictEqual(added, toleration)),
    );
    deleteIfEmpty(spec, 'tolerations');
  }
  stripPodSpecDefaults(spec);
}
