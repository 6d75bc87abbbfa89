import type { JsonMap } from '../fields.ts';
import type { FieldSet } from '../managed-fields.ts';

export interface RuleContext {
  /** Fields owned by managers other than the cluster itself; undefined when the object had no managedFields. */
  userFields?: FieldSet;
}

/** Strips a kind's server-assigned values and defaults, editing the (already copied) object in place. */
export type KindRule = (object: JsonMap, context: RuleContext) => void;
