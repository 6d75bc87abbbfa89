// What kubesnap leaves out of a snapshot, and why. Whole resources are decided from discovery
// (resourceSkipReason); single objects from their content (objectSkipReason).
import type { KubeObject, NormalizeOptions, ResourceInfo } from './types.ts';

export type SkipReason =
  | 'events'
  | 'leases'
  | 'endpoints'
  | 'nodes'
  | 'controller-revisions'
  | 'not-listable'
  | 'metrics'
  | 'service-account-tokens'
  | 'root-ca-configmaps'
  | 'helm-releases'
  | 'owned'
  | 'secrets';

export const skipReasons: Record<SkipReason, { description: string; includeFlag: string }> = {
  events: {
    description: 'Events (core and events.k8s.io): a log of what happened, not configuration',
    includeFlag: '--include-events',
  },
  leases: {
    description: 'Leases: leader election and node heartbeats, renewed every few seconds',
    includeFlag: '--include-leases',
  },
  endpoints: {
    description: 'Endpoints and EndpointSlices: derived from Services and Pods',
    includeFlag: '--include-endpoints',
  },
  nodes: { description: 'Nodes: registered by kubelets, not configured', includeFlag: '--include-nodes' },
  'controller-revisions': {
    description: 'ControllerRevisions: history kept by StatefulSet and DaemonSet controllers',
    includeFlag: '--include-controller-revisions',
  },
  // componentstatuses lands here: it can be listed but not watched, so it cannot be followed.
  'not-listable': {
    description: 'resources without both list and watch (TokenReviews, Bindings, ComponentStatuses, ...)',
    includeFlag: '--include-not-listable',
  },
  metrics: { description: 'metrics.k8s.io: live usage figures', includeFlag: '--include-metrics' },
  'service-account-tokens': {
    description: 'Secrets of type kubernetes.io/service-account-token: minted by the cluster',
    includeFlag: '--include-service-account-tokens',
  },
  'root-ca-configmaps': {
    description: 'kube-root-ca.crt ConfigMaps: published into every namespace by the cluster',
    includeFlag: '--include-root-ca-configmaps',
  },
  'helm-releases': {
    description: 'Secrets of type helm.sh/release.v1: Helm release state',
    includeFlag: '--include-helm-releases',
  },
  owned: {
    description: 'objects with a controller ownerReference (Pods of a ReplicaSet, Jobs of a CronJob, ...)',
    includeFlag: '--include-owned',
  },
  secrets: { description: 'Secrets, because --secrets skip was asked for', includeFlag: '--secrets redact' },
};

function resourceReason(info: ResourceInfo): SkipReason | undefined {
  const { group, resource } = info;
  if (resource === 'events' && (group === '' || group === 'events.k8s.io')) return 'events';
  if (resource === 'leases' && group === 'coordination.k8s.io') return 'leases';
  if ((resource === 'endpoints' && group === '') || (resource === 'endpointslices' && group === 'discovery.k8s.io'))
    return 'endpoints';
  if (resource === 'nodes' && group === '') return 'nodes';
  if (resource === 'controllerrevisions' && group === 'apps') return 'controller-revisions';
  if (group === 'metrics.k8s.io') return 'metrics';
  if (!info.verbs.includes('list') || !info.verbs.includes('watch')) return 'not-listable';
  return undefined;
}

function isIncluded(reason: SkipReason, options: NormalizeOptions | undefined): boolean {
  return options?.include?.has(reason) ?? false;
}

export function resourceSkipReason(info: ResourceInfo, options?: NormalizeOptions): SkipReason | undefined {
  const reason = resourceReason(info);
  if (reason !== undefined && !isIncluded(reason, options)) return reason;
  if (info.group === '' && info.resource === 'secrets' && options?.secrets === 'skip') return 'secrets';
  return undefined;
}

function objectReasons(object: KubeObject, info: ResourceInfo, options: NormalizeOptions | undefined): SkipReason[] {
  const reasons: SkipReason[] = [];
  if (object.metadata.ownerReferences?.some((reference) => reference.controller === true)) reasons.push('owned');
  if (info.group === '' && info.kind === 'Secret') {
    if (object.type === 'kubernetes.io/service-account-token') reasons.push('service-account-tokens');
    if (object.type === 'helm.sh/release.v1') reasons.push('helm-releases');
    if (options?.secrets === 'skip') reasons.push('secrets');
  }
  if (info.group === '' && info.kind === 'ConfigMap' && object.metadata.name === 'kube-root-ca.crt')
    reasons.push('root-ca-configmaps');
  return reasons;
}

/** Why this one object stays out of the snapshot, or undefined to keep it. */
export function objectSkipReason(
  object: KubeObject,
  info: ResourceInfo,
  options?: NormalizeOptions,
): SkipReason | undefined {
  // 'secrets' comes from --secrets skip, not from --include-*, so it cannot be turned off by `include`.
  return objectReasons(object, info, options).find((reason) => reason === 'secrets' || !isIncluded(reason, options));
}
