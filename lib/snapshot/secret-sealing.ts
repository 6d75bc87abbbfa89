import { parseObject } from '../layout/index.ts';
import type { KubeObject } from '../normalize/index.ts';
import type { SecretSealer } from '../secrets/index.ts';
import type { SnapshotRepository } from '../store/index.ts';

/**
 * `sealSecret` for collectClusterState: encrypts each Secret against its committed version in
 * `files` (path → blob id of the commit compared with), so a value that did not change keeps its
 * committed ciphertext and the file its bytes.
 */
export function secretSealing(
  sealer: SecretSealer,
  repository: SnapshotRepository,
  files: ReadonlyMap<string, string>,
): (path: string, secret: KubeObject) => Promise<KubeObject> {
  return async (path, secret) => {
    const blob = files.get(path);
    const previous = blob === undefined ? undefined : parseObject(await repository.readBlob(blob), path);
    return sealer.seal(secret, previous);
  };
}
