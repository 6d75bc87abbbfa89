// Jobs and CronJobs.
import { deleteDefaults, deleteIfEmpty, deleteIfEqual, deleteKeys, mapAt, type JsonMap } from '../fields.ts';
import { cleanTemplate } from '../templates.ts';
import { stripPodTemplate } from './pod-spec.ts';

// Labels the Job controller's selector generation stamps on the Job and its pod template.
const generatedSelectorLabels = [
  'controller-uid',
  'batch.kubernetes.io/controller-uid',
  'job-name',
  'batch.kubernetes.io/job-name',
];

export function stripJob(job: JsonMap): void {
  const spec = mapAt(job, 'spec');
  if (!spec) return;
  const template = mapAt(spec, 'template');
  if (spec.manualSelector !== true) {
    delete spec.selector;
    deleteKeys(mapAt(mapAt(job, 'metadata'), 'labels'), generatedSelectorLabels);
    deleteKeys(mapAt(mapAt(template, 'metadata'), 'labels'), generatedSelectorLabels);
  }
  deleteDefaults(spec, { backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, manualSelector: false });
  // The default turns to Failed once a podFailurePolicy is set.
  if (!('podFailurePolicy' in spec)) deleteIfEqual(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  // completions defaults to 1 only when parallelism is unset too; otherwise nil means a work queue.
  if (spec.parallelism === undefined || spec.parallelism === 1) deleteIfEqual(spec, 'completions', 1);
  deleteIfEqual(spec, 'parallelism', 1);
  deleteIfEmpty(mapAt(template, 'metadata'), 'labels');
  stripPodTemplate(template);
}

export function stripCronJob(cronJob: JsonMap): void {
  const spec = mapAt(cronJob, 'spec');
  deleteDefaults(spec, {
    concurrencyPolicy: 'Allow',
    suspend: false,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
  });
  const jobTemplate = mapAt(spec, 'jobTemplate');
  stripPodTemplate(mapAt(mapAt(jobTemplate, 'spec'), 'template'));
  cleanTemplate(jobTemplate);
}
