export { Watcher, type WatchEvent, type WatcherOptions } from './watcher.ts';
export { Reflector, type ReflectorEvent, type ReflectorOptions, type Sleep } from './reflector.ts';
export type { WatchMetrics } from './metrics.ts';
export { selectCollections, objectInSelectedNamespaces, isNamespacesResource, type Collection, type SelectedCollections } from './collections.ts';
