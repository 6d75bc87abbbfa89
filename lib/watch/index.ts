export { Watcher, type WatchEvent, type WatcherOptions } from './watcher.ts';
export { Reflector, type ReflectorEvent, type ReflectorOptions, type Sleep } from './reflector.ts';
export type { WatchMetrics } from './metrics.ts';
