// The values a kube-apiserver v1.32 fills in on create: API defaults (which, arriving with the
// request, count as the writer's fields in managedFields: api-defaults.ts) and server-assigned values such as
// cluster IPs and finalizers (added later in the request, owned by nobody: server-assigned.ts); and on update,
// what the server assigned before is kept.
import { copyJson } from '../json/index.ts';
import type { Allocator } from './allocator.ts';
import { applyApiDefaults } from './api-defaults.ts';
import { isBuiltinResource } from './catalog.ts';
import { arrayAt, objectAt, specOf } from './field-defaulting.ts';
import { assignOnCreate, assignService } from './server-assigned.ts';
import type { KubeObject, ResourceDef } from './types.ts';
import { isPlainObject } from './value-fields.ts';

// Paths (FieldsV1 elements) that applyCreateDefaults assigned as the server rather than as an API
// default, per object, so that recordWrite can leave them unowned on create.
const SERVER_ASSIGNED = new WeakMap<KubeObject, string[][]>();

/** The server-assigned paths applyCreateDefaults set on `object` (none when it did not run on it). */
export function serverAssignedPaths(object: KubeObject): string[][] {
  return SERVER_ASSIGNED.get(object) ?? [];
}

/** Fills `object` in place as the real server does on create. */
export function applyCreateDefaults(def: ResourceDef, object: KubeObject, allocator: Allocator): void {
  applyApiDefaults(def, object);
  SERVER_ASSIGNED.set(object, assignOnCreate(def, object, allocator));
}

/**
 * On update, patch and apply: keeps what the server assigned earlier (cluster IPs, node ports, a
 * claim's bound volume, namespace finalizers, a Job's generated selector) when `next` leaves it out,
 * allocates node ports for new ports, and fills API defaults again.
 */
export function carryServerAssigned(
  def: ResourceDef,
  previous: KubeObject,
  next: KubeObject,
  allocator: Allocator,
): void {
  applyApiDefaults(def, next);
  if (!isBuiltinResource(def)) return;
  const prevSpec = isPlainObject(previous.spec) ? previous.spec : {};
  switch (def.kind) {
    case 'Service': {
      const spec = objectAt(next, 'spec');
      for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'healthCheckNodePort']) {
        if ((spec[field] === undefined || spec[field] === '') && prevSpec[field] !== undefined)
          spec[field] = copyJson(prevSpec[field]);
      }
      const previousPorts = arrayAt(prevSpec, 'ports').filter(isPlainObject);
      for (const port of arrayAt(spec, 'ports').filter(isPlainObject)) {
        if (port.nodePort !== undefined) continue;
        const same = previousPorts.find(
          (p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'),
        );
        if (same?.nodePort !== undefined) port.nodePort = same.nodePort;
      }
      assignService(spec, allocator);
      break;
    }
    case 'PersistentVolumeClaim':
      if (specOf(next).volumeName === undefined && prevSpec.volumeName !== undefined)
        specOf(next).volumeName = prevSpec.volumeName;
      break;
    case 'Namespace':
      if (specOf(next).finalizers === undefined && prevSpec.finalizers !== undefined)
        specOf(next).finalizers = copyJson(prevSpec.finalizers);
      break;
    case 'Job':
      if (specOf(next).selector === undefined && prevSpec.selector !== undefined)
        specOf(next).selector = copyJson(prevSpec.selector);
      break;
  }
}
