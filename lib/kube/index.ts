export { loadClusterConnection, type ClusterConnection, type KubeconfigOptions } from './kubeconfig.ts';
export { KubeClient, type RequestOptions, type RawResponse } from './client.ts';
export { ApiError, isConflict, isForbidden, isGone, isNotFound, isRetriable, isTooManyRequests } from './api-error.ts';
export { discoverResources, qualifiedResourceName, apiVersionOf, collectionPath, type ApiResource, type DiscoveryFailure, type DiscoveryResult } from './discovery.ts';
export { listPages, listAll, type ListOptions, type ListPage } from './list.ts';
export { withRetry, backoffDelay, type BackoffOptions } from './retry.ts';
export { resolveResourceSpelling } from './resource-names.ts';
export { watchEvents, type RawWatchEvent, type WatchEventType, type WatchOptions } from './watch.ts';
export { getObject, createObject, jsonPatchObject, mergePatchObject, applyObject, deleteObject, type WriteOptions, type JsonPatchOperation } from './writes.ts';
