// The per-kind rules, by group (`''` for the core group) and kind.
import { stripCustomResourceDefinition, stripWebhookConfiguration } from './admission.ts';
import { stripCronJob, stripJob } from './batch.ts';
import { stripNamespace } from './namespace.ts';
import { stripPod } from './pod.ts';
import type { KindRule } from './rule.ts';
import { stripService } from './service.ts';
import { stripServiceAccount } from './service-account.ts';
import { stripPersistentVolume, stripPersistentVolumeClaim } from './storage.ts';
import {
  stripDaemonSet,
  stripDeployment,
  stripPodTemplateObject,
  stripReplicaSet,
  stripStatefulSet,
} from './workloads.ts';

const rules: Record<string, Record<string, KindRule>> = {
  '': {
    Pod: stripPod,
    PodTemplate: stripPodTemplateObject,
    ReplicationController: stripReplicaSet,
    Service: stripService,
    ServiceAccount: stripServiceAccount,
    Namespace: stripNamespace,
    PersistentVolumeClaim: stripPersistentVolumeClaim,
    PersistentVolume: stripPersistentVolume,
  },
  apps: {
    Deployment: stripDeployment,
    StatefulSet: stripStatefulSet,
    DaemonSet: stripDaemonSet,
    ReplicaSet: stripReplicaSet,
  },
  batch: {
    Job: stripJob,
    CronJob: stripCronJob,
  },
  'admissionregistration.k8s.io': {
    MutatingWebhookConfiguration: stripWebhookConfiguration,
    ValidatingWebhookConfiguration: stripWebhookConfiguration,
  },
  'apiextensions.k8s.io': {
    CustomResourceDefinition: stripCustomResourceDefinition,
  },
};

export function kindRule(group: string, kind: string): KindRule | undefined {
  return Object.hasOwn(rules, group) && Object.hasOwn(rules[group], kind) ? rules[group][kind] : undefined;
}
