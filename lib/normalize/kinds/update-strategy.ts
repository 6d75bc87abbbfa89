import { deleteDefaults, deleteIfEmpty, deleteIfEqual, mapAt, type JsonMap } from '../fields.ts';

/**
 * Removes a rolling-update strategy that is the default: each default `rollingUpdate` value, then
 * `type: RollingUpdate` once nothing else is left, then the empty strategy itself.
 */
export function stripRollingUpdateDefaults(
  spec: JsonMap | undefined,
  strategyKey: string,
  rollingDefaults: JsonMap,
): void {
  const strategy = mapAt(spec, strategyKey);
  if (!strategy) return;
  deleteDefaults(mapAt(strategy, 'rollingUpdate'), rollingDefaults);
  deleteIfEmpty(strategy, 'rollingUpdate');
  if (Object.keys(strategy).length === 1) deleteIfEqual(strategy, 'type', 'RollingUpdate');
  deleteIfEmpty(spec, strategyKey);
}
