// The managedFields of a created object. A bulk load (seed) creates many objects of one shape, so it passes a
// cache in which objects with the same field shape share the (costly) computation.
import { copyJson } from '../json/index.ts';
import { recordWrite } from './managed-fields.ts';
import type { KubeObject, ManagedFieldsEntry, ResourceDef } from './types.ts';

/** The managedFields entries of objects by their resource and field shape. */
export type CreatedFieldsCache = Map<string, ManagedFieldsEntry[]>;

/** Sets the managedFields of `object`, created by `manager` at `time` (by an apply of `applied` if given). */
export function recordCreate(
  def: ResourceDef,
  object: KubeObject,
  manager: string,
  time: string,
  applied?: KubeObject,
  cache?: CreatedFieldsCache,
): void {
  const signature = cache && `${def.group}/${def.resource}:${JSON.stringify(object, shapeOnly)}`;
  const known = signature ? cache!.get(signature) : undefined;
  if (known) {
    object.metadata.managedFields = known.map((entry) => ({ ...copyJson(entry), time }));
    return;
  }
  recordWrite({ def, next: object, manager, operation: applied ? 'Apply' : 'Update', applied, time });
  if (signature) cache!.set(signature, copyJson(object.metadata.managedFields ?? []));
}

/**
 * JSON.stringify replacer keeping only what managedFields depend on: map keys and list items (list keys live
 * in item values), not scalar values in maps.
 */
function shapeOnly(this: unknown, _key: string, value: unknown): unknown {
  if (Array.isArray(this)) return value;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? 0 : value;
}
