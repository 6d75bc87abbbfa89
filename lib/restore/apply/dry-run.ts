import type { PlannedObject, RestorePlan } from '../types.ts';
import { isCrd, isNamespace } from './kinds.ts';

/**
 * In a server-side dry run nothing is created, so what needs a Namespace or CRD this restore creates cannot be
 * sent: for each object, what it needs that way, or undefined.
 */
export function createdDependencyOf(plan: RestorePlan): (object: PlannedObject) => string | undefined {
  const creates = plan.objects.filter((o) => o.action === 'create');
  const newNamespaces = new Set(creates.filter(isNamespace).map((o) => o.name));
  const newResources = new Set(
    creates.filter(isCrd).map((o) => {
      const spec = o.internal.desired?.spec as { group?: string; names?: { plural?: string } } | undefined;
      return `${spec?.group}/${spec?.names?.plural}`;
    }),
  );
  return (object) => {
    if (object.namespace !== undefined && newNamespaces.has(object.namespace)) return `Namespace/${object.namespace}`;
    if (newResources.has(`${object.group}/${object.resource}`))
      return `the CustomResourceDefinition of ${object.resource}.${object.group}`;
    return undefined;
  };
}
