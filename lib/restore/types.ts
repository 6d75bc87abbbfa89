import type { ApiResource, JsonPatchOperation } from '../kube/index.ts';
import type { KubeClient } from '../kube/index.ts';
import type { KubeObject, NormalizeOptions } from '../normalize/index.ts';
import type { SelectionOptions } from '../selection/index.ts';
import type { FieldChange } from '../json/field-changes.ts';
import type { RevisionSpec, SnapshotRepository } from '../store/index.ts';
import type { ImageRegistryMapping } from '../images/index.ts';
import type { Clock } from '../health/index.ts';
import type { LocatedObject } from '../layout/index.ts';
import type { Neighbours } from './neighbours.ts';

export interface RestorePlanOptions {
  client: KubeClient;
  repository: SnapshotRepository;
  /** The revision to restore; default `HEAD`. `{ at }` is the last commit at or before that time. */
  revision?: RevisionSpec;
  /** kubectl-style filters, as `kubesnap snapshot` takes them (source namespaces, before any mapping). */
  selection?: SelectionOptions;
  /** picomatch globs on the repository path (`shop/**`). */
  paths?: string[];
  /** The skip and Secret policies the snapshot was taken with. */
  normalize?: NormalizeOptions;
  /** The folder the snapshot was written under (`--prefix`). */
  prefix?: string;
  /** age identities (`--age-identity`) that decrypt Secret values committed encrypted. */
  ageIdentities?: readonly string[];
  /** Also plan deletions of live objects the revision does not have (within the selection). */
  prune?: boolean;
  /** Source namespace → target namespace (`--namespace-map shop=shop-drill`). */
  namespaceMap?: ReadonlyMap<string, string>;
  /** Also restore fields that controllers the user keeps own (an HPA's target's replicas, the cluster managers' fields in managedFields). */
  forceConflicts?: boolean;
  /** With `selection.namespaces` or `namespaceMap`: also cluster-scoped objects other than the Namespaces (`--include-cluster-scoped`, `-A`). */
  includeClusterScoped?: boolean;
  /** Image registry rewrites (`--image-registry-map registry.example.com=mirror.local:5000`): restore onto the mirrored images. */
  imageRegistryMap?: ReadonlyArray<ImageRegistryMapping>;
  concurrency?: number;
  signal?: AbortSignal;
}

/**
 * What restore does with one object:
 * - create / update / delete / unchanged, as planned;
 * - blocked: the revision has it but it cannot be written back (redacted Secret values);
 * - invalid: its file in the revision is not a usable manifest.
 */
export type RestoreAction = 'create' | 'update' | 'unchanged' | 'delete' | 'blocked' | 'invalid';

export interface PlannedObject extends LocatedObject {
  /** `Deployment/shop/web`, `ClusterRole/view`: how every message names the object (target namespace). */
  ref: string;
  /** `path` is '' for objects the revision does not have (prune deletions, target namespaces); `namespace` is the one written to (after --namespace-map). */
  action: RestoreAction;
  /** Why an object is blocked or invalid. */
  reason?: string;
  /** Field-level changes from the live object to the committed one (updates only). Secret values are masked. */
  fields: FieldChange[];
  /** RFC 6902 operations between the normalised live object and the committed one (updates only). */
  normalizedPatch: JsonPatchOperation[];
  /** The same change on the live object: what is sent, after a `test` of the live resourceVersion (updates only). */
  livePatch: JsonPatchOperation[];
  /** Position in the apply order (lower first; deletions run in reverse). */
  step: number;
  /** What the plan says besides its action: fields left to their controllers, references to objects the restore cannot put back. */
  warnings: string[];
  /** Not serialised: the resource, the manifest to create, the live object read at planning time. */
  readonly internal: PlannedObjectInternals;
}

export interface PlannedObjectInternals {
  resource?: ApiResource;
  desired?: KubeObject;
  live?: KubeObject;
}

export interface RestorePlan {
  revision: { label: string; commit: string };
  objects: PlannedObject[];
  /** What planning used, so apply can re-plan an object that changed meanwhile. */
  readonly options: { normalize: NormalizeOptions; concurrency: number; neighbours: Neighbours };
}

export type RestoreOutcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'failed' | 'not-restored';

export interface ObjectResult {
  ref: string;
  path: string;
  action: RestoreAction;
  outcome: RestoreOutcome;
  /** For failures and not-restored objects: one sentence naming the object. */
  message?: string;
  /** The object changed during the restore and was planned again against its new version. */
  replanned?: boolean;
  /** Server dry run only: the write was not sent, as it needs a Namespace or CRD the restore creates. */
  unvalidated?: boolean;
}

export interface RestoreCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  notRestored: number;
}

export interface RestoreResult {
  revision: { label: string; commit: string };
  dryRun?: 'server';
  objects: ObjectResult[];
  counts: RestoreCounts;
}

export interface ApplyOptions {
  client: KubeClient;
  /** 'server': every write is sent with dryRun=All, validated by the API server, nothing stored. */
  dryRun?: 'server';
  /** Delete and create an object whose update hits an immutable field. */
  recreate?: boolean;
  concurrency?: number;
  /** How long to wait for a CRD to be Established, a Namespace to be Active, a deleted object to be gone. */
  readyTimeoutMs?: number;
  onObjectDone?: (result: ObjectResult) => void;
  signal?: AbortSignal;
  /** Where those waits read the time and wait between polls. */
  clock?: Clock;
  /** Who runs the restore (`restorerName`): its field manager names them, so a watch's history credits them. */
  restorer?: string;
}
