export { loadClusterConnection, type ClusterConnection } from './kubeconfig.ts';
export { inClusterConnection, inClusterNamespace } from './in-cluster.ts';
export { KubeClient, type RequestOptions } from './client.ts';
export { ApiError, isConflict, isForbidden, isGone, isNotFound, isUnreadableCollection } from './api-error.ts';
export {
  discoverResources,
  failedGroups,
  qualifiedResourceName,
  apiVersionOf,
  type ApiResource,
  type DiscoveryFailure,
} from './discovery.ts';
export { listDecodedPages, listPages, listAll } from './list.ts';
export { withRetry, backoffDelay, type BackoffOptions } from './retry.ts';
export { resolveResourceSpelling } from './resource-names.ts';
export { selfSubjectUsername } from './self-subject-review.ts';
export { watchEvents, type RawWatchEvent } from './watch.ts';
export {
  getObject,
  createObject,
  jsonPatchObject,
  mergePatchObject,
  applyObject,
  deleteObject,
  type JsonPatchOperation,
} from './writes.ts';
