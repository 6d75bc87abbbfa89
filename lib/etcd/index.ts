/**
 * lib/etcd — etcd v3 snapshots as files: take one over the Maintenance.Snapshot stream, check one (bolt
 * structure and etcd's sha256 trailer), list and thin a folder of them, and plan a restore.
 *
 *   await takeEtcdSnapshot({ endpoints, cacert?, cert?, key?, dir, clock? })   → TakenSnapshot (etcd-<UTC time>.db + .sha256)
 *   await checkSnapshotFile(file)                                            → SnapshotCheck ({ problems: [] } when whole)
 *   await listEtcdSnapshots(dir)                                             → SnapshotListing[] newest first (revision from a few pages)
 *   await readSnapshotRevision(file)                                         → etcd revision | undefined
 *   parseRetentionPolicy('24h=all,7d=daily,90d=weekly')                      → RetentionRule[]
 *   applyRetentionPolicy(snapshots, rules, now)                              → { keep, remove } (pure)
 *   await pruneSnapshots(dir, rules, now)                                    → the deleted SnapshotEntry[]
 *   etcdRestorePlan(check, { tool?, name?, peerUrl?, initialCluster?, dataDir?, ... }) → RestorePlan
 */
export { inspectBoltDatabase } from './bolt.ts';
export { findSnapshots, listEtcdSnapshots, type SnapshotListing } from './catalog.ts';
export { EtcdError } from './errors.ts';
export { etcdRestorePlan, shellQuote } from './restore-plan.ts';
export { applyRetentionPolicy, parseRetentionPolicy, pruneSnapshots } from './retention.ts';
export {
  checkSnapshotFile,
  parseSnapshotFileName,
  readSnapshotRevision,
  snapshotFileName,
  type SnapshotCheck,
} from './snapshot-file.ts';
export { takeEtcdSnapshot, type TakenSnapshot } from './take-snapshot.ts';
