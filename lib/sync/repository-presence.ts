import { statSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { KubesnapError } from '../errors/index.ts';
import type { Readiness, ReadinessSource } from '../health/index.ts';

/** The repository a watch writes to was deleted or replaced under it. */
export class RepositoryGoneError extends KubesnapError {
  constructor(message: string) {
    super('EREPOGONE', message, 1);
  }
}

/** The identity of a folder: a folder deleted and created again under the same name has another. */
type FolderIdentity = string;

function identityOf(path: string): FolderIdentity | undefined {
  let stats: BigIntStats | undefined;
  try {
    stats = statSync(path, { bigint: true });
  } catch {
    return undefined;
  }
  // An inode number can be reused at once after a deletion; the birth time (where the file system keeps one) cannot.
  return stats.isDirectory() ? `${stats.dev}:${stats.ino}:${stats.birthtimeNs}` : undefined;
}

/**
 * Whether the repository a watch opened is still the one on disk: its git folder and object folder
 * are the same folders they were at start. A repository deleted (or deleted and created again by
 * someone else) must not be written to: the history would continue in a stranger's repository, or
 * in loose objects nobody will ever find. The 'repository' readiness source.
 */
export class RepositoryPresence implements ReadinessSource {
  readonly name = 'repository';
  private readonly folders: string[];
  private readonly identities: Array<FolderIdentity | undefined>;

  constructor(private readonly repository: { dir: string; gitdir: string }) {
    this.folders = [repository.gitdir, join(repository.gitdir, 'objects')];
    this.identities = this.folders.map(identityOf);
  }

  check(): Readiness {
    const changed = this.folders.findIndex((folder, index) => identityOf(folder) !== this.identities[index]);
    if (changed < 0) return { ready: true, detail: 'ok' };
    const gone = identityOf(this.folders[changed]) === undefined;
    return { ready: false, detail: `the repository at ${this.repository.dir} was ${gone ? 'deleted' : 'replaced'} while kubesnap was writing to it; nothing more is committed` };
  }

  /** Throws RepositoryGoneError when the repository is not the one opened any more. */
  assertPresent(): void {
    const { ready, detail } = this.check();
    if (!ready) throw new RepositoryGoneError(`${detail}.`);
  }
}
