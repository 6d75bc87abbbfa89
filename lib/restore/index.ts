/**
 * lib/restore — put the cluster (or part of it) back as a revision of the snapshot repository has it.
 * Plan first, as data; then apply in dependency order; results as data. Nothing here prints.
 *
 *   await planRestore({ client, repository, revision?, selection?, paths?, normalize?, prefix?, prune?, namespaceMap? }) → RestorePlan
 *   await applyRestore(plan, { client, dryRun?: 'server', recreate?, concurrency?, onObjectDone?, restorer? })     → RestoreResult
 *   await restorerName(client, author?)                                                                           → who runs it
 *   planCounts(plan), hasWrites(plan), parseNamespaceMap(['shop=shop-drill'])
 */
export type { PlannedObject, RestorePlan, RestoreResult } from './types.ts';
export { planRestore } from './plan.ts';
export { applyRestore } from './apply.ts';
export { restorerName } from './restorer.ts';
export { recordRestore } from './restore-record.ts';
export { parseNamespaceMap, mapNamespaces } from './namespace-map.ts';
export { immutableField } from './failures.ts';
export { planCounts, hasWrites } from './summary.ts';
