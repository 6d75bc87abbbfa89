// What a restored workload needs to run: the Secrets, ConfigMaps and ServiceAccount its pods refer
// to. A reference to one this restore cannot put back (a redacted Secret missing live, a ConfigMap
// neither in the revision nor in the cluster) is a warning in the plan, before pods fail to start.
import { isJsonMap, type JsonMap } from '../json/index.ts';
import type { KubeObject } from '../normalize/index.ts';

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
  if ((group === 'apps' && ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind)) || (group === 'batch' && kind === 'Job') || (group === '' && kind === 'ReplicationController')) {
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
