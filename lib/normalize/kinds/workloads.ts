// Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers and PodTemplates.
import { deleteDefaults, deleteIfEmpty, mapAt, mapsAt, type JsonMap } from '../fields.ts';
import { cleanTemplate } from '../templates.ts';
import { stripPodTemplate } from './pod-spec.ts';
import { stripRollingUpdateDefaults } from './update-strategy.ts';

export function stripDeployment(deployment: JsonMap): void {
  const spec = mapAt(deployment, 'spec');
  deleteDefaults(spec, { revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
  stripRollingUpdateDefaults(spec, 'strategy', { maxSurge: '25%', maxUnavailable: '25%' });
  stripPodTemplate(mapAt(spec, 'template'));
}

export function stripStatefulSet(statefulSet: JsonMap): void {
  const spec = mapAt(statefulSet, 'spec');
  deleteDefaults(spec, { podManagementPolicy: 'OrderedReady', revisionHistoryLimit: 10 });
  stripRollingUpdateDefaults(spec, 'updateStrategy', { partition: 0 });
  deleteDefaults(mapAt(spec, 'persistentVolumeClaimRetentionPolicy'), { whenDeleted: 'Retain', whenScaled: 'Retain' });
  deleteIfEmpty(spec, 'persistentVolumeClaimRetentionPolicy');
  for (const claim of mapsAt(spec, 'volumeClaimTemplates')) {
    cleanTemplate(claim);
    deleteDefaults(mapAt(claim, 'spec'), { volumeMode: 'Filesystem' });
  }
  stripPodTemplate(mapAt(spec, 'template'));
}

export function stripDaemonSet(daemonSet: JsonMap): void {
  const spec = mapAt(daemonSet, 'spec');
  deleteDefaults(spec, { revisionHistoryLimit: 10 });
  stripRollingUpdateDefaults(spec, 'updateStrategy', { maxUnavailable: 1, maxSurge: 0 });
  stripPodTemplate(mapAt(spec, 'template'));
}

/** ReplicaSets and ReplicationControllers: only their pod template has defaults. */
export function stripReplicaSet(replicaSet: JsonMap): void {
  stripPodTemplate(mapAt(mapAt(replicaSet, 'spec'), 'template'));
}

export function stripPodTemplateObject(podTemplate: JsonMap): void {
  stripPodTemplate(mapAt(podTemplate, 'template'));
}
