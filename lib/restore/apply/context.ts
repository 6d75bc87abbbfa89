import {
  createObject,
  deleteObject,
  getObject,
  isNotFound,
  jsonPatchObject,
  withRetry,
  type JsonPatchOperation,
  type KubeClient,
} from '../../kube/index.ts';
// The file itself, not lib/history's index: a restore needs the manager's name, not the history writer.
import { restoreFieldManager } from '../../history/restore-manager.ts';
import type { KubeObject } from '../../normalize/index.ts';
import type { WaitLimits } from '../readiness.ts';
import type { ApplyOptions, ObjectResult, PlannedObject, RestoreOutcome, RestorePlan } from '../types.ts';
import { createdDependencyOf } from './dry-run.ts';

export type ResultDetails = Pick<ObjectResult, 'message' | 'replanned' | 'unvalidated'>;

/**
 * What the write verbs of one restore share: the plan, the client's calls as a restore makes them (retried,
 * dry run or not, as the restore's field manager `kubesnap-restore (restorer)`, so the history a watch keeps
 * credits the changes to a restore and who ran it, not to kubesnap's reading), and each object's result once it
 * has one.
 */
export class ApplyContext {
  readonly client: KubeClient;
  readonly dryRun: boolean;
  readonly recreate: boolean;
  readonly signal?: AbortSignal;
  readonly wait: WaitLimits;
  readonly fieldManager: string;
  /** Server dry run: what an object needs that this restore creates (so its write cannot be validated), or undefined. */
  readonly createdDependency: (object: PlannedObject) => string | undefined;
  private readonly results = new Map<PlannedObject, ObjectResult>();

  constructor(
    readonly plan: RestorePlan,
    private readonly options: ApplyOptions,
  ) {
    this.client = options.client;
    this.dryRun = options.dryRun === 'server';
    this.recreate = options.recreate ?? false;
    this.signal = options.signal;
    this.fieldManager = restoreFieldManager(options.restorer);
    this.wait = { timeoutMs: options.readyTimeoutMs ?? 60_000, signal: options.signal, clock: options.clock };
    this.createdDependency = this.dryRun ? createdDependencyOf(plan) : () => undefined;
  }

  finish(object: PlannedObject, outcome: RestoreOutcome, details: ResultDetails = {}): void {
    const result: ObjectResult = { ref: object.ref, path: object.path, action: object.action, outcome, ...details };
    this.results.set(object, result);
    this.options.onObjectDone?.(result);
  }

  resultOf(object: PlannedObject): ObjectResult | undefined {
    return this.results.get(object);
  }

  create(object: PlannedObject): Promise<unknown> {
    const { resource, desired } = object.internal;
    return withRetry(
      () =>
        createObject(this.client, resource!, desired!, {
          dryRun: this.dryRun,
          signal: this.signal,
          fieldManager: this.fieldManager,
        }),
      { signal: this.signal },
    );
  }

  patch(object: PlannedObject, operations: JsonPatchOperation[]): Promise<unknown> {
    const { resource } = object.internal;
    return withRetry(
      () =>
        jsonPatchObject(this.client, resource!, object.namespace, object.name, operations, {
          dryRun: this.dryRun,
          signal: this.signal,
          fieldManager: this.fieldManager,
        }),
      { signal: this.signal },
    );
  }

  delete(object: PlannedObject): Promise<unknown> {
    const { resource } = object.internal;
    return withRetry(
      () =>
        deleteObject(this.client, resource!, object.namespace, object.name, {
          dryRun: this.dryRun,
          signal: this.signal,
        }),
      { signal: this.signal },
    );
  }

  /** The object as it is live now; undefined when it is gone. */
  async readCurrent(object: PlannedObject): Promise<KubeObject | undefined> {
    try {
      return await withRetry(
        () => getObject<KubeObject>(this.client, object.internal.resource!, object.namespace, object.name, this.signal),
        { signal: this.signal },
      );
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
