// What a write's body and target must satisfy before the cluster changes anything: the kind and apiVersion of the
// endpoint, the name and namespace on the URL, an existing namespace that is not terminating, and the
// resourceVersion (optimistic concurrency) and delete preconditions it names.
import { apiVersionOf, groupVersionOf } from './object-shape.ts';
import type { ResourceRegistry } from './registry.ts';
import { badRequest, conflict, namespaceNotFound, namespaceTerminating } from './status.ts';
import { bucketOf, keyOf, type ObjectStore } from './store.ts';
import type { KubeObject, ResourceDef } from './types.ts';

/** Refuses a body that is not an object of the endpoint's kind and a version of its group; gives it metadata. */
export function checkBodyType(registry: ResourceRegistry, def: ResourceDef, body: KubeObject): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('the body of the request must be a JSON or YAML object');
  if (typeof body.metadata !== 'object' || body.metadata === null) body.metadata = {};
  if (body.kind !== undefined && body.kind !== def.kind) {
    throw badRequest(
      `the object provided is unrecognized (must be of type ${def.kind}): kind ${body.kind} does not match the endpoint's kind ${def.kind}`,
    );
  }
  if (body.apiVersion !== undefined) {
    const [group, version] = groupVersionOf(String(body.apiVersion));
    if (group !== def.group || !registry.find(group, version, def.resource)) {
      throw badRequest(
        `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersionOf(def)})`,
      );
    }
  }
}

/** Refuses a body whose name is not the one on the URL; `optional`: a body without a name is fine. */
export function checkName(name: string, body: KubeObject, { optional }: { optional: boolean }): void {
  if (optional && body.metadata?.name === undefined) return;
  if (body.metadata?.name !== name) {
    throw badRequest(`the name of the object (${body.metadata?.name}) does not match the name on the URL (${name})`);
  }
}

/** Gives the body the request's namespace (none for a cluster-scoped resource); refuses a different one. */
export function checkNamespace(def: ResourceDef, namespace: string | undefined, body: KubeObject): void {
  if (!def.namespaced) {
    delete body.metadata.namespace;
    return;
  }
  if (body.metadata.namespace && namespace && body.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  body.metadata.namespace = namespace ?? body.metadata.namespace;
}

/** A namespaced object can only be created in a namespace that exists and is not being deleted. */
export function requireNamespace(
  store: ObjectStore,
  def: ResourceDef,
  namespace: string | undefined,
  name: string,
): void {
  if (!def.namespaced) return;
  if (!namespace) throw badRequest('the server could not find the requested resource');
  const ns = store.get(bucketOf('', 'namespaces'), keyOf(undefined, namespace));
  if (!ns) throw namespaceNotFound(namespace);
  if (ns.metadata.deletionTimestamp) throw namespaceTerminating(namespace, def.group, def.resource, name);
}

/** A write that names a resourceVersion (not empty) must name the stored one. */
export function checkResourceVersion(def: ResourceDef, current: KubeObject, next: KubeObject): void {
  const wanted = next.metadata.resourceVersion;
  if (wanted !== undefined && wanted !== '' && wanted !== current.metadata.resourceVersion) {
    throw conflict(def.group, def.resource, String(current.metadata.name));
  }
}

/** A delete's preconditions: the uid and resourceVersion it names must be the stored ones. */
export function checkPreconditions(
  def: ResourceDef,
  current: KubeObject,
  preconditions: { uid?: string; resourceVersion?: string } | undefined,
): void {
  const name = String(current.metadata.name);
  if (preconditions?.uid && preconditions.uid !== current.metadata.uid) throw conflict(def.group, def.resource, name);
  if (preconditions?.resourceVersion && preconditions.resourceVersion !== current.metadata.resourceVersion)
    throw conflict(def.group, def.resource, name);
}
