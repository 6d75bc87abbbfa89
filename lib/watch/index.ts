export { Watcher, type WatchEvent, type WatcherOptions } from './watcher.ts';
export { Reflector, type ReflectorEvent, type ReflectorOptions } from './reflector.ts';
export { RelistTurns } from './relist-turns.ts';
export { objectKey, splitObjectKey } from './object-key.ts';
export type { WatchMetrics } from './metrics.ts';
export { ApiContact } from './api-contact.ts';
