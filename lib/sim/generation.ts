import type { KubeObject, ResourceDef } from './types.ts';
import { deepEqual } from './value-fields.ts';

/** Whether a write changes anything outside metadata and status, i.e. whether generation goes up. */
export function specChanged(_def: ResourceDef, previous: KubeObject, next: KubeObject): boolean {
  return !deepEqual(desiredState(previous), desiredState(next));
}

function desiredState(object: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata: _m, status: _s, ...rest } = object;
  return rest;
}
