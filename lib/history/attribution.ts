import type { KubeObject } from '../normalize/index.ts';

/** Who last changed an object's content, and when, as its managedFields tell. */
export interface Attribution {
  manager: string;
  time?: string;
}

/**
 * The newest managedFields entry that touched anything but status: status writers (subresource
 * `status`) report what the cluster did, not what a person changed. Times are whole seconds, so two
 * writers within one second tie; the later entry wins, which the API server orders by manager name.
 */
export function lastWriter(object: KubeObject): Attribution | undefined {
  let newest: { manager: string; time?: string } | undefined;
  for (const entry of object.metadata.managedFields ?? []) {
    if (entry.subresource === 'status') continue;
    if (!newest || (entry.time ?? '') >= (newest.time ?? '')) newest = { manager: entry.manager, time: entry.time };
  }
  return newest;
}
