import type { LocatedObject } from '../layout/index.ts';
import type { FieldChange } from '../json/field-changes.ts';

export type ChangeType = 'created' | 'changed' | 'deleted';

/** One object that differs between the two sides of a diff. Everything in it is safe to print: Secret values are digests or placeholders. */
export interface ObjectChange extends LocatedObject {
  /** `kind` is the resource name when the file has none. */
  change: ChangeType;
  /** The object on each side, parsed; undefined on the side where it does not exist. */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** The YAML on each side ('' where it does not exist). */
  beforeYaml: string;
  afterYaml: string;
  /** Leaf-level changes (empty for created and deleted objects). */
  fields: FieldChange[];
}

/** One side of a diff: a revision as the user gave it and the commit it resolved to, or the live cluster. */
export interface DiffSide {
  label: string;
  /** Undefined for the live cluster. */
  commit?: string;
}

export interface ChangeSet {
  from: DiffSide;
  to: DiffSide;
  /** Sorted by path. */
  objects: ObjectChange[];
}

/** Counts of one (namespace, kind) pair; `namespace` undefined for cluster-scoped objects. */
export interface SummaryRow {
  namespace?: string;
  /** `Deployment.apps`, `Secret`: the kind, qualified by its group unless core. */
  kind: string;
  created: number;
  changed: number;
  deleted: number;
}
