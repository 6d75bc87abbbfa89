import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { repositoryDigestKey } from '../secrets/digest-key.ts';
import { findRepository } from '../store/repository-layout.ts';

/**
 * The key neat's redacted digests are made with: the one given (`--digest-key-file`), else the key of the
 * repository at `repo` when there is one, so the digests are those the repository holds, else a random key
 * for this run: the digests then hide the values and match nothing. Never creates a repository or a key.
 */
export async function neatDigestKey(given: Uint8Array | undefined, repo: string | undefined): Promise<Uint8Array> {
  if (given) return given;
  const layout = repo === undefined ? undefined : findRepository(resolve(repo));
  return (layout && (await repositoryDigestKey(layout.gitdir, { create: false }))) ?? randomBytes(32);
}
