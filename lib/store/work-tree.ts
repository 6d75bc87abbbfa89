import { lstatSync, mkdirSync, readFileSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RepositoryError } from '../errors/index.ts';
import { entryFromStat, GitIndex } from './git-index.ts';
import { hashObject } from './git-object.ts';

export interface WorkTreeChange {
  path: string;
  /** The new blob id, or null when the file goes away. */
  id: string | null;
  /** The id the file had in HEAD before the commit. */
  before: string | undefined;
  content?: Buffer;
}

function statOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** The checked-out files and index of a non-bare repository, kept in step with the commits kubesnap makes. */
export class WorkTree {
  constructor(
    readonly dir: string,
    readonly gitdir: string,
  ) {}

  /** Refuses when a path about to change has edits (staged or not) that the commit would overwrite. */
  checkClean(changes: WorkTreeChange[]): void {
    const index = GitIndex.read(this.gitdir);
    const dirty: string[] = [];
    for (const change of changes) {
      const entry = index.get(change.path);
      if (
        index.inConflict(change.path) ||
        (entry ? entry.id !== change.before : change.before !== undefined && index.entries.size > 0)
      ) {
        dirty.push(change.path);
        continue;
      }
      const stats = statOrUndefined(join(this.dir, change.path));
      if (!stats) continue;
      if (!stats.isFile()) {
        dirty.push(change.path);
        continue;
      }
      if (entry && index.statUnchanged(entry, stats)) continue;
      const id = hashObject('blob', readFileSync(join(this.dir, change.path)));
      if (id !== change.before && id !== change.id) dirty.push(change.path);
    }
    if (dirty.length) {
      const shown = dirty.slice(0, 5).join(', ') + (dirty.length > 5 ? ` and ${dirty.length - 5} more` : '');
      throw new RepositoryError(
        `The work tree of ${this.dir} has uncommitted changes to files kubesnap is about to write (${shown}); commit or discard them first.`,
      );
    }
  }

  /** Writes new and changed files, removes deleted ones (and folders left empty), and updates only their index entries. */
  apply(changes: WorkTreeChange[]): void {
    const index = GitIndex.read(this.gitdir);
    for (const change of changes) {
      const path = join(this.dir, change.path);
      if (change.id === null) {
        rmSync(path, { force: true });
        index.delete(change.path);
        this.removeEmptyParents(dirname(path));
        continue;
      }
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, change.content!);
      index.set(entryFromStat(change.path, change.id, lstatSync(path)));
    }
    index.write();
  }

  private removeEmptyParents(dir: string): void {
    while (dir !== this.dir && dir.startsWith(this.dir)) {
      const left = statOrUndefined(dir) ? readdirSync(dir).length : -1;
      if (left !== 0) return;
      rmdirSync(dir);
      dir = dirname(dir);
    }
  }
}
