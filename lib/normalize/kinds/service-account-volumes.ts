// The volume the ServiceAccount admission plugin adds to every Pod, and its mount in every container:
// - since 1.22 a projected volume `kube-api-access-<5>`;
// - before that (old exports, no managedFields) the account's token Secret as a volume `<account>-token-<5>`,
//   mounted at /var/run/secrets/kubernetes.io/serviceaccount. A user may mount that Secret too; it counts as
//   injected only when its volume is named after the Secret and every mount of it is at that path.
import { deleteIfEmpty, isMap, mapAt, mapsAt, type JsonMap } from '../fields.ts';

const projectedVolumePrefix = 'kube-api-access-';
const serviceAccountMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
const containerLists = ['initContainers', 'containers', 'ephemeralContainers'];

function mounts(spec: JsonMap): JsonMap[] {
  return containerLists.flatMap((list) => mapsAt(spec, list).flatMap((container) => mapsAt(container, 'volumeMounts')));
}

/** `<account>-token-<5 random characters>`, as the token controller named the Secrets it minted. */
function isLegacyTokenName(name: string, account: string): boolean {
  const suffix = name.startsWith(`${account}-token-`) ? name.slice(account.length + '-token-'.length) : '';
  return /^[a-z0-9]{5}$/.test(suffix);
}

function isLegacyTokenVolume(volume: JsonMap, spec: JsonMap, account: string): boolean {
  const name = volume.name;
  if (typeof name !== 'string' || mapAt(volume, 'secret')?.secretName !== name || !isLegacyTokenName(name, account))
    return false;
  return mounts(spec).every((mount) => mount.name !== name || mount.mountPath === serviceAccountMountPath);
}

function injectedVolumeNames(spec: JsonMap): Set<string> {
  const account =
    typeof spec.serviceAccountName === 'string'
      ? spec.serviceAccountName
      : typeof spec.serviceAccount === 'string'
        ? spec.serviceAccount
        : 'default';
  const names = new Set<string>();
  for (const volume of mapsAt(spec, 'volumes')) {
    const name = volume.name;
    if (typeof name !== 'string') continue;
    if (name.startsWith(projectedVolumePrefix) || isLegacyTokenVolume(volume, spec, account)) names.add(name);
  }
  return names;
}

/** Removes the service account volume admission injected, and its mounts. Runs before the account's name is dropped as a default. */
export function withoutServiceAccountVolumes(spec: JsonMap): void {
  const injected = injectedVolumeNames(spec);
  if (injected.size === 0) return;
  const isInjected = (item: unknown) => isMap(item) && typeof item.name === 'string' && injected.has(item.name);
  if (Array.isArray(spec.volumes)) spec.volumes = spec.volumes.filter((volume) => !isInjected(volume));
  for (const list of containerLists) {
    for (const container of mapsAt(spec, list)) {
      if (Array.isArray(container.volumeMounts)) {
        container.volumeMounts = container.volumeMounts.filter((mount) => !isInjected(mount));
        deleteIfEmpty(container, 'volumeMounts');
      }
    }
  }
  deleteIfEmpty(spec, 'volumes');
}
