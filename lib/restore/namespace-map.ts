// --namespace-map FROM=TO: an object of namespace FROM is written into TO, and the namespace
// references Kubernetes keeps inside objects follow it, so a restore drill never points back at
// production (a RoleBinding granting to FROM's ServiceAccount would otherwise grant nothing in TO).
import { UsageError } from '../errors/index.ts';
import type { ApiResource } from '../kube/index.ts';
import type { KubeObject } from '../normalize/index.ts';
import { isNamespacesResource } from '../selection/index.ts';

const namespaceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `shop=shop-drill` pairs → a map; each side a valid namespace name, each source once, no chains. */
export function parseNamespaceMap(pairs: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of pairs) {
    const match = /^([^=]+)=([^=]+)$/.exec(pair.trim());
    if (!match) throw new UsageError(`--namespace-map "${pair}" is not of the form FROM=TO.`);
    const [, from, to] = match;
    for (const name of [from, to]) {
      if (!namespaceName.test(name) || name.length > 63)
        throw new UsageError(`--namespace-map "${pair}": "${name}" is not a valid namespace name.`);
    }
    if (from === to) throw new UsageError(`--namespace-map "${pair}" maps a namespace onto itself.`);
    if (map.has(from)) throw new UsageError(`--namespace-map gives two targets for namespace "${from}".`);
    map.set(from, to);
  }
  for (const to of map.values()) {
    if (map.has(to))
      throw new UsageError(`--namespace-map maps into "${to}", which is itself mapped; give each namespace one step.`);
  }
  return map;
}

function isMap(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The object as it is written into the target namespace, every namespace reference rewritten. */
export function mapNamespaces(
  object: KubeObject,
  resource: Pick<ApiResource, 'group' | 'resource'>,
  map: ReadonlyMap<string, string>,
): KubeObject {
  if (map.size === 0) return object;
  const rename = (value: unknown) => (typeof value === 'string' && map.has(value) ? map.get(value)! : value);
  const renameField = (holder: unknown) => {
    if (isMap(holder) && typeof holder.namespace === 'string') holder.namespace = rename(holder.namespace);
  };
  const copy = structuredClone(object) as KubeObject & Record<string, any>;
  const { group } = resource;
  if (copy.metadata.namespace !== undefined) copy.metadata.namespace = rename(copy.metadata.namespace) as string;
  if (isNamespacesResource(resource)) copy.metadata.name = rename(copy.metadata.name) as string;
  // RoleBindings and ClusterRoleBindings: the ServiceAccounts they grant to.
  if (group === 'rbac.authorization.k8s.io' && Array.isArray(copy.subjects)) {
    for (const subject of copy.subjects) renameField(subject);
  }
  // Webhook configurations: the Service each webhook calls.
  if (group === 'admissionregistration.k8s.io' && Array.isArray(copy.webhooks)) {
    for (const webhook of copy.webhooks) {
      if (isMap(webhook) && isMap(webhook.clientConfig)) renameField(webhook.clientConfig.service);
    }
  }
  // APIServices and CRD conversion webhooks: the Service behind them.
  const spec = isMap(copy.spec) ? copy.spec : {};
  renameField(spec.service);
  if (isMap(spec.conversion) && isMap(spec.conversion.webhook) && isMap(spec.conversion.webhook.clientConfig)) {
    renameField(spec.conversion.webhook.clientConfig.service);
  }
  // PersistentVolumes: the claim they are bound to.
  if (group === '' && copy.kind === 'PersistentVolume') renameField(spec.claimRef);
  return copy;
}
