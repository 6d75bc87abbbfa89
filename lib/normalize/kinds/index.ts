// The per-kind rules, by `<group>/<Kind>` (`/Service` for the core group).
import { stripCustomResourceDefinition, stripWebhookConfiguration } from './admission.ts';
import { stripCronJob, stripJob } from './batch.ts';
import { stripNamespace } from './namespace.ts';
import { stripPod } from './pod.ts';
import type { KindRule } from './rule.ts';
import { stripService } from './service.ts';
import { stripServiceAccount } from './service-account.ts';
import { stripPersistentVolume, stripPersistentVolumeClaim } from './storage.ts';
import { stripDaemonSet, stripDeployment, stripPodTemplateObject, stripReplicaSet, stripStatefulSet } from './workloads.ts';

const rules: Record<string, KindRule> = {
  '/Pod': stripPod,
  '/PodTemplate': stripPodTemplateObject,
  '/ReplicationController': stripReplicaSet,
  '/Service': stripService,
  '/ServiceAccount': stripServiceAccount,
  '/Namespace': stripNamespace,
  '/PersistentVolumeClaim': stripPersistentVolumeClaim,
  '/PersistentVolume': stripPersistentVolume,
  'apps/Deployment': stripDeployment,
  'apps/StatefulSet': stripStatefulSet,
  'apps/DaemonSet': stripDaemonSet,
  'apps/ReplicaSet': stripReplicaSet,
  'batch/Job': stripJob,
  'batch/CronJob': stripCronJob,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': stripWebhookConfiguration,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': stripWebhookConfiguration,
  'apiextensions.k8s.io/CustomResourceDefinition': stripCustomResourceDefinition,
};

export function kindRule(group: string, kind: string): KindRule | undefined {
  return rules[`${group}/${kind}`];
}
