// Fields that controllers the user keeps running own are left as they are live unless
// --force-conflicts: an autoscaler owns its target's spec.replicas (an HPA live or restored with it),
// and the cluster's own managers own what their managedFields entries say (a claim's volumeName,
// replicas scaled through /scale by kube-controller-manager). Restoring such a field would only start
// a tug of war with its controller. Fields inside list elements are matched by key, not by path, and
// are left to the patch.
import { deepEqual, isJsonMap } from '../json/index.ts';
import type { ApiResource } from '../kube/index.ts';
import { clusterOwnedFields, type FieldSet, type KubeObject } from '../normalize/index.ts';

export interface KeptField {
  /** `['spec', 'replicas']` */
  path: string[];
  /** Who keeps it: `HorizontalPodAutoscaler/shop/web`, `kube-controller-manager`. */
  owner: string;
}

const autoscalerKey = (group: string, kind: string, namespace: string | undefined, name: string) =>
  `${group}/${kind}/${namespace ?? ''}/${name}`;

function groupOf(apiVersion: unknown): string {
  return typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

/** The leaf fields a field set names through map keys only. */
function mapFieldPaths(fields: FieldSet, prefix: string[] = []): string[][] {
  const keys = Object.keys(fields).filter((key) => key !== '.');
  if (keys.length === 0) return prefix.length > 0 ? [prefix] : [];
  return keys
    .filter((key) => key.startsWith('f:'))
    .flatMap((key) => mapFieldPaths(fields[key], [...prefix, key.slice(2)]));
}

export class Neighbours {
  /** Scale targets (`apps/Deployment/shop/web`) → the HorizontalPodAutoscaler that scales each. */
  private readonly scaledBy = new Map<string, string>();

  constructor(readonly forceConflicts: boolean) {}

  /** An HPA the restore leaves running or restores: its target's replicas are its to set. */
  addAutoscaler(hpa: KubeObject, ref: string): void {
    const target = (hpa.spec as { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string } } | undefined)
      ?.scaleTargetRef;
    if (!target?.kind || !target.name) return;
    this.scaledBy.set(autoscalerKey(groupOf(target.apiVersion), target.kind, hpa.metadata.namespace, target.name), ref);
  }

  /** The fields of `live` that restore leaves as they are. */
  keptFields(live: KubeObject, resource: ApiResource): KeptField[] {
    if (this.forceConflicts) return [];
    const kept: KeptField[] = [];
    for (const [manager, fields] of clusterOwnedFields(live.metadata.managedFields)) {
      for (const path of mapFieldPaths(fields)) if (path[0] !== 'status') kept.push({ path, owner: manager });
    }
    const autoscaler = this.scaledBy.get(
      autoscalerKey(resource.group, resource.kind, live.metadata.namespace, live.metadata.name),
    );
    if (autoscaler) kept.push({ path: ['spec', 'replicas'], owner: autoscaler });
    return kept;
  }
}

function valueAt(object: unknown, path: readonly string[]): unknown {
  let value = object;
  for (const key of path) value = isJsonMap(value) ? value[key] : undefined;
  return value;
}

/** A copy of `object` with the value at `path` set (created with its parents) or, for undefined, removed. */
function withValueAt(object: KubeObject, path: readonly string[], value: unknown): KubeObject {
  const copy = structuredClone(object) as KubeObject & Record<string, unknown>;
  let holder: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (!isJsonMap(holder[key])) {
      if (value === undefined) return copy;
      holder[key] = {};
    }
    holder = holder[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (value === undefined) delete holder[last];
  else holder[last] = structuredClone(value);
  return copy;
}

/**
 * The committed object with each kept field as the normalised live object has it, and a warning for
 * each that differs. Secret values are never written into a warning.
 */
export function keepLiveFields(
  committed: KubeObject,
  normalizedLive: KubeObject,
  kept: readonly KeptField[],
  isSecret: boolean,
): { committed: KubeObject; warnings: string[] } {
  const warnings: string[] = [];
  let result = committed;
  for (const { path, owner } of kept) {
    const live = valueAt(normalizedLive, path);
    const wanted = valueAt(result, path);
    if (deepEqual(live, wanted)) continue;
    result = withValueAt(result, path, live);
    const values = isSecret
      ? ''
      : ` (${JSON.stringify(live) ?? 'unset'}; the revision has ${JSON.stringify(wanted) ?? 'it unset'})`;
    warnings.push(
      `${path.join('.')} is left as it is live${values}: ${owner} manages it; --force-conflicts restores it.`,
    );
  }
  return { committed: result, warnings };
}
