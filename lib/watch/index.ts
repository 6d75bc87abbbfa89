export { Watcher, type WatchEvent, type WatcherOptions } from './watcher.ts';
export { Reflector, type ReflectorEvent, type ReflectorOptions } from './reflector.ts';
export type { WatchMetrics } from './metrics.ts';
export { ApiContact, DEFAULT_UNREACHABLE_AFTER_MS, type ContactRecorder } from './api-contact.ts';
