// Shared by the semantics tests: recorded objects, their resource definitions, and a write pipeline
// that calls the semantics functions in the order the simulator server does.
import { readFileSync } from 'node:fs';
import { builtinResources, resourcesFromCrd } from '../../lib/sim/catalog.ts';
import type { Allocator } from '../../lib/sim/allocator.ts';
import { applyCreateDefaults, carryServerAssigned } from '../../lib/sim/defaults.ts';
import { serverSideApply } from '../../lib/sim/apply.ts';
import { recordWrite } from '../../lib/sim/managed-fields.ts';
import type { KubeObject, ResourceDef } from '../../lib/sim/types.ts';

const fixtureDir = new URL('../fixtures/apiserver/', import.meta.url);

export function recorded(path: string): KubeObject {
  return JSON.parse(readFileSync(new URL(path, fixtureDir), 'utf8')) as KubeObject;
}

export function recordedListItem(list: string, namespace: string | undefined, name: string): KubeObject {
  const items = (recorded(`lists/${list}`) as unknown as { items: KubeObject[] }).items;
  const item = items.find((i) => i.metadata.name === name && i.metadata.namespace === namespace);
  if (!item) throw new Error(`${list} has no ${namespace}/${name}`);
  return item;
}

export function def(group: string, resource: string): ResourceDef {
  const found = builtinResources().find((d) => d.group === group && d.resource === resource && d.preferred);
  if (found) return found;
  const crd = recorded('objects/_cluster_customresourcedefinitions.apiextensions.k8s.io_widgets.example.com.json');
  return resourcesFromCrd(crd)[0];
}

export function fieldsOf(
  object: KubeObject,
  manager: string,
  subresource?: string,
): Record<string, unknown> | undefined {
  return object.metadata.managedFields?.find((e) => e.manager === manager && e.subresource === subresource)?.fieldsV1;
}

/** An allocator that hands out the given addresses and ports in order. */
export function allocatorOf(ips: string[], ports: number[] = []): Allocator {
  return { clusterIP: () => ips.shift() ?? '10.0.0.99', nodePort: () => ports.shift() ?? 30000 };
}

export const T1 = '2026-11-23T21:15:21Z';
export const T2 = '2026-11-23T21:15:24Z';

/** A create through PUT/POST, as the server handles it. */
export function create(
  d: ResourceDef,
  sent: KubeObject,
  manager: string,
  allocator = allocatorOf([]),
  time = T1,
): KubeObject {
  const object = structuredClone(sent);
  applyCreateDefaults(d, object, allocator);
  recordWrite({ def: d, next: object, manager, operation: 'Update', time });
  return object;
}

/** A server-side apply, creating or updating. */
export function apply(
  d: ResourceDef,
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  allocator = allocatorOf([]),
  force = false,
  time = T1,
): KubeObject {
  const result = serverSideApply({ def: d, live, applied, manager, force });
  if ('conflicts' in result) throw new Error(`conflicts: ${JSON.stringify(result.conflicts)}`);
  const next = result.object;
  if (live) carryServerAssigned(d, live, next, allocator);
  else applyCreateDefaults(d, next, allocator);
  recordWrite({ def: d, previous: live, next, manager, operation: 'Apply', applied, time });
  return next;
}

/** An update (PUT or patch) of `live` to `next` by `manager`, optionally through a subresource. */
export function update(
  d: ResourceDef,
  live: KubeObject,
  next: KubeObject,
  manager: string,
  subresource?: 'status' | 'scale',
  time = T2,
): KubeObject {
  const object = structuredClone(next);
  carryServerAssigned(d, live, object, allocatorOf([]));
  recordWrite({ def: d, previous: live, next: object, manager, operation: 'Update', subresource, time });
  return object;
}

/** The object without what the server adds: identity, bookkeeping, managedFields, status. */
export function withoutServerFields(object: KubeObject): KubeObject {
  const copy = structuredClone(object);
  for (const field of ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields'])
    delete copy.metadata[field];
  delete copy.status;
  return copy;
}

export type { KubeObject };
