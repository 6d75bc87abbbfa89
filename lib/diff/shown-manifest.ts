import {
  identityMismatch,
  ManifestError,
  ManifestLimitError,
  parseObject,
  type ObjectIdentity,
} from '../layout/index.ts';
import { builtinResource } from '../selection/offline-kinds.ts';

/**
 * A committed file as diff and show present it: parsed, or undefined when it is not valid YAML (a file
 * someone broke by hand is still shown, as text). A file that breaks a bound on reading it, or holds
 * another object than its path names (a ClusterRole under `shop/`), is refused with a ManifestError.
 */
export function readShownManifest(
  bytes: Buffer,
  path: string,
  identity: ObjectIdentity,
): Record<string, unknown> | undefined {
  let manifest: Record<string, unknown>;
  try {
    manifest = parseObject(bytes, path) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ManifestLimitError) throw error;
    return undefined;
  }
  const mismatch = identityMismatch(manifest, identity, builtinResource(identity.group, identity.resource));
  if (mismatch) throw new ManifestError(`The manifest ${path} does not hold what its path says: ${mismatch}`);
  return manifest;
}
