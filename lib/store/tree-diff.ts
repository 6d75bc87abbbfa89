import { RepositoryError } from '../errors/index.ts';
import { parseCommit, parseTree, TREE_MODE, type TreeEntry } from './git-object.ts';
import type { ObjectReader } from './object-reader.ts';

const GITLINK_MODE = '160000';

/** A file that differs between two commits: its blob before (absent: created) and after (absent: deleted). */
export interface ChangedPath {
  path: string;
  before?: string;
  after?: string;
}

/**
 * The files that differ between two commits (`fromCommit` undefined: the empty tree), sorted by path, read through
 * the repository's own object reader (its pack indexes are loaded once, not at each call).
 */
export async function changedPaths(
  repo: { changedPaths(fromCommit: string | undefined, toCommit: string): Promise<ChangedPath[]> },
  fromCommit: string | undefined,
  toCommit: string,
): Promise<ChangedPath[]> {
  return repo.changedPaths(fromCommit, toCommit);
}

/**
 * changedPaths with an object reader. Walks both trees by object id and descends only into folders whose tree ids
 * differ, so the cost grows with the number of changes, not with the size of the repository. Blobs are never opened.
 */
export function diffCommits(reader: ObjectReader, fromCommit: string | undefined, toCommit: string): ChangedPath[] {
  const readEntries = (treeId: string | undefined): Map<string, TreeEntry> => {
    if (treeId === undefined) return new Map();
    const object = reader.read(treeId);
    if (object.type !== 'tree') throw new RepositoryError(`The object ${treeId} is a ${object.type}, not a tree.`);
    return new Map(
      parseTree(object.content)
        .filter((entry) => entry.mode !== GITLINK_MODE)
        .map((entry) => [entry.name, entry]),
    );
  };
  const treeOf = (commit: string): string => {
    const object = reader.read(commit);
    if (object.type !== 'commit') throw new RepositoryError(`The object ${commit} is a ${object.type}, not a commit.`);
    return parseCommit(object.content).tree;
  };
  const changes: ChangedPath[] = [];
  const compare = (beforeTree: string | undefined, afterTree: string | undefined, prefix: string) => {
    const before = readEntries(beforeTree);
    const after = readEntries(afterTree);
    const names = [...new Set([...before.keys(), ...after.keys()])].sort();
    for (const name of names) {
      const old = before.get(name);
      const now = after.get(name);
      if (old && now && old.id === now.id && old.mode === now.mode) continue;
      const path = `${prefix}${name}`;
      const oldTree = old?.mode === TREE_MODE ? old.id : undefined;
      const newTree = now?.mode === TREE_MODE ? now.id : undefined;
      if (oldTree !== undefined || newTree !== undefined) compare(oldTree, newTree, `${path}/`);
      const oldBlob = old && old.mode !== TREE_MODE ? old.id : undefined;
      const newBlob = now && now.mode !== TREE_MODE ? now.id : undefined;
      if (oldBlob === newBlob) continue;
      const change: ChangedPath = { path };
      if (oldBlob !== undefined) change.before = oldBlob;
      if (newBlob !== undefined) change.after = newBlob;
      changes.push(change);
    }
  };
  compare(fromCommit === undefined ? undefined : treeOf(fromCommit), treeOf(toCommit), '');
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
