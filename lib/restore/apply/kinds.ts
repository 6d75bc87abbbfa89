import { isNamespacesResource } from '../../selection/index.ts';
import type { PlannedObject } from '../types.ts';

/** The kinds a later step may need to be usable first. */
export const isCrd = (o: Pick<PlannedObject, 'group' | 'kind'>) =>
  o.group === 'apiextensions.k8s.io' && o.kind === 'CustomResourceDefinition';
export const isNamespace = (o: Pick<PlannedObject, 'group' | 'resource'>) => isNamespacesResource(o);
