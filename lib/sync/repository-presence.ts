import { join } from 'node:path';
import { KubesnapError } from '../errors/index.ts';
import type { Readiness, ReadinessSource } from '../health/index.ts';
import { folderIdentity, type FolderIdentity } from '../store/folder-identity.ts';

/** The repository a watch writes to was deleted or replaced under it. */
export class RepositoryGoneError extends KubesnapError {
  constructor(message: string) {
    super('EREPOGONE', message, 1);
  }
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
    this.identities = this.folders.map(folderIdentity);
  }

  check(): Readiness {
    const changed = this.folders.findIndex((folder, index) => folderIdentity(folder) !== this.identities[index]);
    if (changed < 0) return { ready: true, detail: 'ok' };
    const gone = folderIdentity(this.folders[changed]) === undefined;
    return {
      ready: false,
      detail: `the repository at ${this.repository.dir} was ${gone ? 'deleted' : 'replaced'} while kubesnap was writing to it; nothing more is committed`,
    };
  }

  /** Throws RepositoryGoneError when the repository is not the one opened any more. */
  assertPresent(): void {
    const { ready, detail } = this.check();
    if (!ready) throw new RepositoryGoneError(`${detail}.`);
  }
}
