export { loadClusterConnection, type ClusterConnection, type KubeconfigOptions } from './kubeconfig.ts';
export {
  inClusterConnection,
  inClusterNamespace,
  defaultServiceAccountDir,
  type InClusterOptions,
} from './in-cluster.ts';
export { KubeClient, type RequestOptions, type RawResponse } from './client.ts';
export {
  ApiError,
  isConflict,
  isForbidden,
  isGone,
  isNotFound,
  isRetriable,
  isTooManyRequests,
  isUnreadableCollection,
} from './api-error.ts';
export {
  discoverResources,
  failedGroups,
  qualifiedResourceName,
  apiVersionOf,
  collectionPath,
  type ApiResource,
  type DiscoveryFailure,
  type DiscoveryResult,
} from './discovery.ts';
export {
  listDecodedPages,
  listPages,
  listAll,
  type ListOptions,
  type ListPage,
  type ListPageMetadata,
} from './list.ts';
export { withRetry, backoffDelay, type BackoffOptions } from './retry.ts';
export { resolveResourceSpelling } from './resource-names.ts';
export { selfSubjectUsername } from './self-subject-review.ts';
export { watchEvents, type RawWatchEvent, type WatchEventType, type WatchOptions } from './watch.ts';
export {
  getObject,
  createObject,
  jsonPatchObject,
  mergePatchObject,
  applyObject,
  deleteObject,
  type WriteOptions,
  type JsonPatchOperation,
} from './writes.ts';
