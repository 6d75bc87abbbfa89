import { UsageError } from '../errors/index.ts';
import type { KubeClient } from '../kube/index.ts';
import { parseObject, parseObjectPath, serializeObject } from '../layout/index.ts';
import type { NormalizeOptions } from '../normalize/index.ts';
import { withRepositoryDigestKey } from '../secrets/digest-key.ts';
import { isEncryptedSecret, openSecret, type SecretSealer } from '../secrets/index.ts';
import { readClusterChanges, type UnreadableResource } from '../snapshot/index.ts';
import { resolveRevisionSpec, type RevisionSpec, type SnapshotRepository } from '../store/index.ts';
import { pathGlobMatcher, type DiffFilter } from './filter.ts';
import { objectChange } from './object-change.ts';
import type { ChangeSet, ObjectChange } from './types.ts';

export interface LiveDiffOptions {
  client: KubeClient;
  repository: SnapshotRepository;
  /** The revision to compare the cluster with; default `HEAD`. */
  revision?: RevisionSpec;
  filter?: DiffFilter;
  /** The same skip and Secret policies the snapshot was taken with. */
  normalize?: NormalizeOptions;
  prefix?: string;
  showSecrets?: boolean;
  /** age identities (`--age-identity`): Secrets committed encrypted are decrypted and compared value by value. */
  ageIdentities?: readonly string[];
  /** Without identities, the snapshot's recipients: the live Secrets are sealed as a snapshot would, so a changed value shows as changed, never as itself. */
  sealer?: SecretSealer;
  concurrency?: number;
  pageSize?: number;
  signal?: AbortSignal;
}

export interface LiveChangeSet extends ChangeSet {
  /** Collections that could not be read: their objects are neither compared nor reported as gone. */
  unreadable: UnreadableResource[];
}

/**
 * Drift: the live cluster, read and normalised exactly as `kubesnap snapshot` would read it, against a
 * revision. The changes are the ones a snapshot taken now would commit, so there is no drift right after one.
 */
export async function diffLive(options: LiveDiffOptions): Promise<LiveChangeSet> {
  const { repository } = options;
  const from = await resolveRevisionSpec(repository, options.revision ?? 'HEAD');
  const files = await repository.readFiles(from.commit);
  const decrypting = Boolean(options.ageIdentities?.length);
  const sealer = decrypting ? undefined : options.sealer;
  const chosen: NormalizeOptions = decrypting
    ? { ...options.normalize, secrets: 'plain' }
    : sealer
      ? { ...options.normalize, secrets: 'encrypt' }
      : (options.normalize ?? {});
  const normalize = await withRepositoryDigestKey(chosen, repository.gitdir, { create: false });
  const { state, planned } = await readClusterChanges({
    client: options.client,
    repository,
    base: from.commit,
    baseFiles: files,
    selection: options.filter?.selection,
    normalize,
    sealer,
    prefix: options.prefix,
    concurrency: options.concurrency,
    pageSize: options.pageSize,
    signal: options.signal,
  });
  const pathMatches = pathGlobMatcher(options.filter?.paths);
  const objects: ObjectChange[] = [];
  for (const { path } of planned.changes) {
    if (!pathMatches(path)) continue;
    const blob = files.get(path);
    const committed =
      blob === undefined
        ? undefined
        : await committedForComparison(path, await repository.readBlob(blob), options, decrypting || Boolean(sealer));
    const change = objectChange(path, committed, state.files.get(path)?.bytes, {
      prefix: options.prefix,
      showSecrets: options.showSecrets,
    });
    if (change) objects.push(change);
  }
  objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { from, to: { label: 'live' }, objects, unreadable: state.unreadable };
}

/**
 * A committed file as the live side is read: a Secret committed encrypted is decrypted when identities
 * were given. Compared with a live read that neither decrypts nor seals, its ciphertext would look
 * like a change of every value, so that is refused.
 */
async function committedForComparison(
  path: string,
  bytes: Buffer,
  options: LiveDiffOptions,
  keyed: boolean,
): Promise<Buffer> {
  const identity = parseObjectPath(path, options.prefix);
  if (identity?.group !== '' || identity.resource !== 'secrets') return bytes;
  const object = parseObject(bytes, path);
  if (!isEncryptedSecret(object)) return bytes;
  if (options.ageIdentities?.length)
    return Buffer.from(serializeObject(await openSecret(object, options.ageIdentities)));
  if (keyed) return bytes;
  throw new UsageError(
    `${path} holds age-encrypted Secret values: pass --age-identity to compare them, or the --age-recipient flags the snapshot was taken with to see which changed.`,
  );
}
