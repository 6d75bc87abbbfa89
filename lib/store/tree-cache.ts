import { RepositoryError } from '../errors/index.ts';
import { encodeTree, FILE_MODE, hashObject, parseTree, TREE_MODE } from './git-object.ts';
import type { ObjectReader } from './object-reader.ts';
import type { NewObject } from './object-writer.ts';
import { splitRepoPath } from './repo-path.ts';

const GITLINK_MODE = '160000';
const KEPT_ROOTS = 8;
const KEPT_FLAT_INDEXES = 2;

interface Entry {
  mode: string;
  id: string;
  /** The loaded subtree, filled in on first use; shared by every tree that contains this entry. */
  dir?: DirNode;
}

/** One tree object in memory. Never changed once built: a change makes new nodes for it and its parents. */
interface DirNode {
  id: string;
  entries: Map<string, Entry>;
}

/** Changes grouped by folder, so each touched tree is rebuilt exactly once. */
interface ChangeTree {
  files: Map<string, string | null>;
  dirs: Map<string, ChangeTree>;
}

export interface TreeUpdate {
  tree: string;
  /** Blobs and trees that the new tree needs and the old one did not have. */
  objects: NewObject[];
  /** Paths whose blob was added, replaced or removed. */
  changedPaths: Array<{ path: string; id: string | null }>;
}

/**
 * Trees of one repository, kept in memory between commits with structural sharing: an incremental commit
 * reads nothing but the touched folders, and hashes only the new blobs and the trees above them.
 */
export class TreeCache {
  private roots = new Map<string, DirNode>();
  private flatIndexes = new Map<string, Map<string, string>>();

  constructor(private readonly reader: ObjectReader) {}

  private remember<T>(cache: Map<string, T>, key: string, value: T, limit: number): void {
    cache.delete(key);
    cache.set(key, value);
    while (cache.size > limit) cache.delete(cache.keys().next().value!);
  }

  private loadTree(id: string): DirNode {
    const object = this.reader.read(id);
    if (object.type !== 'tree') throw new RepositoryError(`The object ${id} is a ${object.type}, not a tree.`);
    return { id, entries: new Map(parseTree(object.content).map((entry) => [entry.name, { mode: entry.mode, id: entry.id }])) };
  }

  private root(treeId: string): DirNode {
    const cached = this.roots.get(treeId);
    if (cached) return cached;
    const root = this.loadTree(treeId);
    this.remember(this.roots, treeId, root, KEPT_ROOTS);
    return root;
  }

  private subtree(entry: Entry): DirNode {
    entry.dir ??= this.loadTree(entry.id);
    return entry.dir;
  }

  /** Every file of a tree as path → blob id (submodule links left out). */
  flatten(treeId: string): Map<string, string> {
    const cached = this.flatIndexes.get(treeId);
    if (cached) return cached;
    const files = new Map<string, string>();
    const walk = (node: DirNode, prefix: string) => {
      for (const [name, entry] of node.entries) {
        if (entry.mode === TREE_MODE) walk(this.subtree(entry), `${prefix}${name}/`);
        else if (entry.mode !== GITLINK_MODE) files.set(`${prefix}${name}`, entry.id);
      }
    };
    walk(this.root(treeId), '');
    this.remember(this.flatIndexes, treeId, files, KEPT_FLAT_INDEXES);
    return files;
  }

  /** The entry at a path (a file or a folder), reading only the trees along the way. */
  lookup(treeId: string, path: string): { mode: string; id: string } | undefined {
    let node = this.root(treeId);
    const segments = path.split('/').filter(Boolean);
    if (segments.length === 0) return { mode: TREE_MODE, id: treeId };
    for (let i = 0; i < segments.length; i++) {
      const entry = node.entries.get(segments[i]);
      if (!entry) return undefined;
      if (i === segments.length - 1) return { mode: entry.mode, id: entry.id };
      if (entry.mode !== TREE_MODE) return undefined;
      node = this.subtree(entry);
    }
    return undefined;
  }

  /**
   * Applies blob changes (path → blob id, or null to delete) to a tree (undefined: the empty tree).
   * Folders left empty disappear, as git has no empty trees.
   */
  apply(baseTree: string | undefined, changes: Map<string, { id: string; content: Buffer } | null>): TreeUpdate {
    const root: ChangeTree = { files: new Map(), dirs: new Map() };
    const contents = new Map<string, Buffer>();
    for (const [path, change] of changes) {
      const segments = splitRepoPath(path);
      let node = root;
      for (const segment of segments.slice(0, -1)) {
        let next = node.dirs.get(segment);
        if (!next) node.dirs.set(segment, (next = { files: new Map(), dirs: new Map() }));
        node = next;
      }
      node.files.set(segments[segments.length - 1], change ? change.id : null);
      if (change) contents.set(change.id, change.content);
    }
    const objects: NewObject[] = [];
    const changedPaths: TreeUpdate['changedPaths'] = [];
    const queued = new Set<string>();
    const queue = (object: NewObject) => {
      if (queued.has(object.id)) return;
      queued.add(object.id);
      if (!this.reader.has(object.id)) objects.push(object);
    };

    const build = (node: DirNode | undefined, change: ChangeTree, prefix: string): DirNode | undefined => {
      const entries = new Map(node?.entries);
      let changed = false;
      for (const [name, id] of change.files) {
        const existing = entries.get(name);
        if (id === null) {
          if (!existing) continue;
          if (existing.mode === TREE_MODE) throw new RepositoryError(`Cannot delete "${prefix}${name}": it is a folder, not a file.`);
          entries.delete(name);
          changedPaths.push({ path: `${prefix}${name}`, id: null });
          changed = true;
          continue;
        }
        if (existing?.mode === TREE_MODE) throw new RepositoryError(`Cannot write the file "${prefix}${name}": a folder of that name exists.`);
        if (existing && existing.id === id && existing.mode === FILE_MODE) continue;
        entries.set(name, { mode: FILE_MODE, id });
        queue({ id, type: 'blob', content: contents.get(id)! });
        changedPaths.push({ path: `${prefix}${name}`, id });
        changed = true;
      }
      for (const [name, subChange] of change.dirs) {
        const existing = entries.get(name);
        if (existing && existing.mode !== TREE_MODE) {
          throw new RepositoryError(`Cannot write into "${prefix}${name}/": a file of that name exists.`);
        }
        const before = existing ? this.subtree(existing) : undefined;
        const after = build(before, subChange, `${prefix}${name}/`);
        if (after === before) continue;
        changed = true;
        if (after) entries.set(name, { mode: TREE_MODE, id: after.id, dir: after });
        else entries.delete(name);
      }
      if (!changed) return node;
      if (entries.size === 0) return undefined;
      const content = encodeTree([...entries].map(([name, entry]) => ({ name, mode: entry.mode, id: entry.id })));
      const id = hashObject('tree', content);
      queue({ id, type: 'tree', content });
      return { id, entries };
    };

    const before = baseTree ? this.root(baseTree) : undefined;
    const after = build(before, root, '');
    if (!after) {
      const content = Buffer.alloc(0);
      const id = hashObject('tree', content);
      queue({ id, type: 'tree', content });
      return { tree: id, objects, changedPaths };
    }
    this.remember(this.roots, after.id, after, KEPT_ROOTS);
    return { tree: after.id, objects, changedPaths };
  }
}
