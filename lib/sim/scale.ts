// The autoscaling/v1 Scale view of deployments, statefulsets and replicasets (the `scale` subresource).
import { apiVersionOf } from './object-shape.ts';
import type { KubeObject, ResourceDef } from './types.ts';

function selectorString(object: KubeObject): string {
  const selector = (object.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector;
  return Object.entries(selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

export function scaleOf(object: KubeObject): KubeObject {
  const spec = (object.spec ?? {}) as { replicas?: number };
  const status = (object.status ?? {}) as { replicas?: number };
  const meta = object.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 1 },
    status: { replicas: status.replicas ?? 0, selector: selectorString(object) },
  };
}

/** The object with the replica count a Scale asks for. */
export function withScale(def: ResourceDef, object: KubeObject, scale: KubeObject): KubeObject {
  const next = structuredClone(object);
  next.apiVersion = apiVersionOf(def);
  next.kind = def.kind;
  const replicas = (scale.spec as { replicas?: number } | undefined)?.replicas;
  next.spec = { ...((next.spec as object) ?? {}), replicas: replicas ?? 0 };
  if (scale.metadata?.resourceVersion) next.metadata.resourceVersion = scale.metadata.resourceVersion;
  return next;
}
