export type { KubeObject, ManagedFieldsEntry, NormalizeOptions, NormalizeResult, ResourceInfo } from './types.ts';
export { skipReasons, resourceSkipReason, objectSkipReason, type SkipReason } from './skip-reasons.ts';
export { normalizeObject } from './normalize-object.ts';
export { clusterOwnedFields, type FieldSet } from './managed-fields.ts';
