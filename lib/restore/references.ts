// What a restored workload needs to run: the Secrets, ConfigMaps and ServiceAccount its pods refer
// to. A reference to one this restore cannot put back (a redacted Secret missing live, a ConfigMap
// neither in the revision nor in the cluster) is a warning in the plan, before pods fail to start.
import { isJsonMap, type JsonMap } from '../json/index.ts';
import type { ApiResource } from '../kube/index.ts';
import type { KubeObject } from '../normalize/index.ts';
import type { DesiredObject } from './desired.ts';
import { objectRef } from './object-ref.ts';
import type { PlannedObject } from './types.ts';

export type ReferencedKind = 'Secret' | 'ConfigMap' | 'ServiceAccount';

export interface Reference {
  kind: ReferencedKind;
  name: string;
}

const list = (value: unknown): JsonMap[] => (Array.isArray(value) ? value.filter(isJsonMap) : []);
const map = (value: unknown): JsonMap => (isJsonMap(value) ? value : {});

/** The pod template of a workload kind (or a Pod's own spec). */
function podSpecOf(group: string, kind: string, object: KubeObject): JsonMap | undefined {
  const spec = map(object.spec);
  if (group === '' && kind === 'Pod') return spec;
  if (
    (group === 'apps' && ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind)) ||
    (group === 'batch' && kind === 'Job') ||
    (group === '' && kind === 'ReplicationController')
  ) {
    return map(map(spec.template).spec);
  }
  if (group === 'batch' && kind === 'CronJob') return map(map(map(map(spec.jobTemplate).spec).template).spec);
  return undefined;
}

/** A reference unless it is marked optional (the pod starts without it). */
function required(kind: ReferencedKind, name: unknown, optional: unknown): Reference[] {
  return typeof name === 'string' && name !== '' && optional !== true ? [{ kind, name }] : [];
}

function containerReferences(container: JsonMap): Reference[] {
  const fromEnv = list(container.envFrom).flatMap((source) => [
    ...required('Secret', map(source.secretRef).name, map(source.secretRef).optional),
    ...required('ConfigMap', map(source.configMapRef).name, map(source.configMapRef).optional),
  ]);
  const fromValues = list(container.env).flatMap((variable) => {
    const from = map(variable.valueFrom);
    return [
      ...required('Secret', map(from.secretKeyRef).name, map(from.secretKeyRef).optional),
      ...required('ConfigMap', map(from.configMapKeyRef).name, map(from.configMapKeyRef).optional),
    ];
  });
  return [...fromEnv, ...fromValues];
}

function volumeReferences(volume: JsonMap): Reference[] {
  const projected = list(map(volume.projected).sources).flatMap((source) => [
    ...required('Secret', map(source.secret).name, map(source.secret).optional),
    ...required('ConfigMap', map(source.configMap).name, map(source.configMap).optional),
  ]);
  return [
    ...required('Secret', map(volume.secret).secretName, map(volume.secret).optional),
    ...required('ConfigMap', map(volume.configMap).name, map(volume.configMap).optional),
    ...projected,
  ];
}

/** What the pods of a workload need, each once; the `default` ServiceAccount is the cluster's to create. */
export function podReferences(group: string, kind: string, object: KubeObject): Reference[] {
  const pod = podSpecOf(group, kind, object);
  if (!pod) return [];
  const containers = [...list(pod.initContainers), ...list(pod.containers), ...list(pod.ephemeralContainers)];
  const serviceAccount = pod.serviceAccountName ?? pod.serviceAccount;
  const references = [
    ...(serviceAccount !== 'default' ? required('ServiceAccount', serviceAccount, false) : []),
    ...list(pod.imagePullSecrets).flatMap((secret) => required('Secret', secret.name, false)),
    ...containers.flatMap(containerReferences),
    ...list(pod.volumes).flatMap(volumeReferences),
  ];
  const seen = new Set<string>();
  return references.filter(({ kind: k, name }) => !seen.has(`${k}/${name}`) && Boolean(seen.add(`${k}/${name}`)));
}

export const referencedResourceNames: Record<ReferencedKind, string> = {
  Secret: 'secrets',
  ConfigMap: 'configmaps',
  ServiceAccount: 'serviceaccounts',
};

/** The core resources the revision's workloads refer to (Secrets, ConfigMaps, ServiceAccounts). */
export function referencedResources(desired: readonly DesiredObject[], served: readonly ApiResource[]): ApiResource[] {
  const kinds = new Set(
    desired.flatMap((entry) =>
      entry.object ? podReferences(entry.target.group, entry.object.kind, entry.object).map((r) => r.kind) : [],
    ),
  );
  return served.filter(
    (resource) =>
      resource.group === '' && [...kinds].some((kind) => referencedResourceNames[kind] === resource.resource),
  );
}

/** Warns on each workload the restore writes whose pods need an object it cannot put back. */
export function addReferenceWarnings(
  objects: PlannedObject[],
  isLive: (kind: ReferencedKind, namespace: string, name: string) => boolean,
): void {
  const byRef = new Map(objects.map((o) => [o.ref, o]));
  for (const object of objects) {
    const desired = object.internal.desired;
    if ((object.action !== 'create' && object.action !== 'update') || !desired || object.namespace === undefined)
      continue;
    for (const { kind, name } of podReferences(object.group, object.kind, desired)) {
      const ref = objectRef(kind, object.namespace, name);
      const planned = byRef.get(ref);
      if (planned?.action === 'blocked')
        object.warnings.push(`its pods need ${ref}, which this restore cannot put back: ${planned.reason}`);
      else if (planned?.action === 'invalid')
        object.warnings.push(`its pods need ${ref}, whose file in the revision is invalid.`);
      else if (planned?.action === 'delete')
        object.warnings.push(`its pods need ${ref}, which this restore deletes (--prune).`);
      else if (!planned && !isLive(kind, object.namespace, name))
        object.warnings.push(`its pods need ${ref}, which is missing from the cluster and not restored with it.`);
    }
  }
}
