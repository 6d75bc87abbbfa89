// The key of redacted Secret values' digests (HMAC-SHA256). It never enters the repository or a remote:
// either a file the user names (`--digest-key-file`, in a cluster a mounted Secret), or by default a random
// key kept in the repository's git folder (`<gitdir>/kubesnap-digest-key`, mode 0600), outside objects, refs
// and the work tree, so neither `git clone` nor a push carries it. Only holders of the key can test a
// guessed value against a committed digest.
import { createHmac, randomBytes } from 'node:crypto';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RepositoryError, UsageError } from '../errors/index.ts';

export const DEFAULT_DIGEST_KEY_FILE = 'kubesnap-digest-key';
/** Shorter keys could be guessed; 16 bytes is what `openssl rand -hex 8` or a chart's randAlphaNum 16 gives. */
const MINIMUM_KEY_BYTES = 16;

/** The key in a file as the user wrote it: its bytes without a trailing line break. Never printed. `source` names the file's origin in errors. */
export async function readDigestKeyFile(path: string, source = '--digest-key-file'): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UsageError(
      `${source} ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      { cause: error },
    );
  }
  const key = trimLineBreaks(bytes);
  if (key.length < MINIMUM_KEY_BYTES)
    throw new UsageError(
      `${source} ${path} holds ${key.length} bytes; a digest key needs at least ${MINIMUM_KEY_BYTES} (e.g. openssl rand -hex 32).`,
    );
  return key;
}

function trimLineBreaks(bytes: Buffer): Buffer {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  return bytes.subarray(0, end);
}

/**
 * The repository's own key, `<gitdir>/kubesnap-digest-key`. With `create`, a missing key is made: 32 random
 * bytes as hex, written to a private temporary file and linked into place, so two processes starting at once
 * end up with the same key. Without `create` (diff, restore), a missing key is undefined.
 */
export async function repositoryDigestKey(gitdir: string, options: { create: boolean }): Promise<Buffer | undefined> {
  const path = join(gitdir, DEFAULT_DIGEST_KEY_FILE);
  const existing = await readExisting(path);
  if (existing || !options.create) return existing;
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}`;
  try {
    await writeFile(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    await link(temporary, path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  } catch (error) {
    throw new RepositoryError(
      `the digest key ${path} cannot be created: ${(error as NodeJS.ErrnoException).code ?? String(error)}; give one with --digest-key-file.`,
      { cause: error },
    );
  } finally {
    await unlink(temporary).catch(() => {});
  }
  return (await readExisting(path))!;
}

async function readExisting(path: string): Promise<Buffer | undefined> {
  try {
    return trimLineBreaks(await readFile(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RepositoryError(
      `the digest key ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      { cause: error },
    );
  }
}

/** A name for the key that reveals nothing of it: what the repository README records, so a new key shows. */
export function digestKeyId(key: Uint8Array): string {
  return createHmac('sha256', key).update('kubesnap digest key id').digest('hex').slice(0, 16);
}

/**
 * `options` with the repository's key when none was given (`--digest-key-file`). Without `create` and without a
 * key in the repository (a clone: the key is never cloned), a random one for this run: no committed digest
 * matches it, so redacted values read as differing, never as equal.
 */
export async function withRepositoryDigestKey<T extends { digestKey?: Uint8Array }>(
  options: T,
  gitdir: string,
  access: { create: boolean },
): Promise<T> {
  if (options.digestKey) return options;
  return { ...options, digestKey: (await repositoryDigestKey(gitdir, access)) ?? randomBytes(32) };
}
