import { RepositoryError } from '../errors/index.ts';
import {
  encodeSortedTree,
  sortTreeEntries,
  FILE_MODE,
  hashObject,
  parseTree,
  TREE_MODE,
  type TreeEntry,
} from './git-object.ts';
import type { ObjectReader, StoredObjects } from './object-reader.ts';
import type { NewObject, PackEntry } from './object-writer.ts';
import { checkFileName, splitRepoPath } from './repo-path.ts';

const GITLINK_MODE = '160000';
const KEPT_ROOTS = 8;
const KEPT_FLAT_INDEXES = 2;
/**
 * Bytes (as estimated by nodeBytes) of the trees read lately, kept by id, least recently used out first: a log walk
 * looks into the same folders of one commit and its parent, and of the next. A count would not bound them: at
 * 100,000 objects one folder of 1,000 files holds about 250 KB in memory.
 */
const KEPT_READ_TREE_BYTES = 32 << 20;
const KEPT_COMPARED_TREES = 4;

interface Entry {
  mode: string;
  id: string;
  /** The loaded subtree, filled in on first use; shared by every tree that contains this entry. */
  dir?: DirNode;
}

/**
 * One tree object in memory, never changed once built. A change makes new nodes for the touched folders
 * and their parents; a folder whose names stay the same shares `names`, `starts` and `positions` with its
 * previous version, and its new bytes are the old bytes with the changed ids patched in place.
 */
interface DirNode {
  id: string;
  /** The tree object's bytes. */
  content: Buffer;
  /** Entry names in git's tree order. */
  names: string[];
  /** Where each entry starts in `content`, in the same order. */
  starts: Uint32Array;
  positions: Map<string, number>;
  entries: Entry[];
}

/** Changes grouped by folder, so each touched tree is rebuilt exactly once. */
interface ChangeTree {
  files: Map<string, string | null>;
  dirs: Map<string, ChangeTree>;
}

/** A file's new blob: its id and bytes, and its pack entry when already deflated (see PreparedBlob). */
export interface BlobChange {
  id: string;
  content: Buffer;
  packed?: PackEntry;
}

export interface TreeUpdate {
  tree: string;
  /** Blobs and trees that the new tree needs and the repository does not have yet. */
  objects: NewObject[];
  /**
   * The other blobs and trees the change brought into the tree, which the repository has, and where: to be checked
   * again before a ref moves to it (git may delete what is unreachable meanwhile). Everything else in the tree was in
   * the base tree already.
   */
  stored: StoredObjects<NewObject>;
  /** Paths whose blob was added, replaced or removed. */
  changedPaths: Array<{ path: string; id: string | null }>;
}

/** The change tree node of the folder holding the file at `segments`, made where missing. */
function changeFolder(root: ChangeTree, segments: string[]): ChangeTree {
  let node = root;
  for (let i = 0; i < segments.length - 1; i++) {
    let next = node.dirs.get(segments[i]);
    if (!next) node.dirs.set(segments[i], (next = { files: new Map(), dirs: new Map() }));
    node = next;
  }
  return node;
}

function dirNode(id: string, content: Buffer, entries: TreeEntry[], starts: Uint32Array): DirNode {
  const names = entries.map((entry) => entry.name);
  return {
    id,
    content,
    names,
    starts,
    positions: new Map(names.map((name, i) => [name, i])),
    entries: entries.map((entry) => ({ mode: entry.mode, id: entry.id })),
  };
}

/** About what a node holds in memory: its bytes, and per entry a name, an id string, an entry and a map slot. */
function nodeBytes(node: DirNode): number {
  return node.content.length + node.names.length * 200;
}

/** Where each entry starts in the bytes of a tree holding `entries` in this order. */
function entryStarts(entries: TreeEntry[]): Uint32Array {
  const starts = new Uint32Array(entries.length);
  let at = 0;
  entries.forEach((entry, i) => {
    starts[i] = at;
    at += entry.mode.length + Buffer.byteLength(entry.name) + 22;
  });
  return starts;
}

/**
 * Trees of one repository, kept in memory between commits with structural sharing: an incremental commit
 * reads nothing but the touched folders, and hashes only the new blobs and the trees above them.
 */
export class TreeCache {
  private roots = new Map<string, DirNode>();
  private flatIndexes = new Map<string, Map<string, string>>();
  /** In order of use, the least recently used first. */
  private readTrees = new Map<string, DirNode>();
  private readTreeBytes = 0;
  private readonly keptReadTreeBytes: number;
  private comparedTrees = new Map<string, Map<string, string>>();

  constructor(
    private readonly reader: ObjectReader,
    options: { keptReadTreeBytes?: number } = {},
  ) {
    this.keptReadTreeBytes = options.keptReadTreeBytes ?? KEPT_READ_TREE_BYTES;
  }

  /** The bytes (as estimated) of the read trees kept now: never more than `keptReadTreeBytes`. */
  get keptTreeBytes(): number {
    return this.readTreeBytes;
  }

  private remember<T>(cache: Map<string, T>, key: string, value: T, limit: number): void {
    cache.delete(key);
    cache.set(key, value);
    while (cache.size > limit) cache.delete(cache.keys().next().value!);
  }

  private readTreeObject(id: string): Buffer {
    const object = this.reader.read(id);
    if (object.type !== 'tree') throw new RepositoryError(`The object ${id} is a ${object.type}, not a tree.`);
    return object.content;
  }

  private loadTree(id: string): DirNode {
    const read = this.readTrees.get(id);
    if (read) {
      this.readTrees.delete(id);
      this.readTrees.set(id, read);
      return read;
    }
    const content = this.readTreeObject(id);
    const entries = parseTree(content);
    const node = dirNode(id, content, entries, entryStarts(entries));
    this.readTrees.set(id, node);
    this.readTreeBytes += nodeBytes(node);
    for (const [oldest, old] of this.readTrees) {
      if (this.readTreeBytes <= this.keptReadTreeBytes) break;
      this.readTrees.delete(oldest);
      this.readTreeBytes -= nodeBytes(old);
    }
    return node;
  }

  /**
   * A root tree, from the cache when there. `keep` puts it in the cache: trees commits build on, not every
   * tree a log walk looks into, which would push out the head's.
   */
  private root(treeId: string, keep = true): DirNode {
    const cached = this.roots.get(treeId);
    if (cached) return cached;
    const root = this.loadTree(treeId);
    if (keep) this.remember(this.roots, treeId, root, KEPT_ROOTS);
    return root;
  }

  private subtree(entry: Entry): DirNode {
    entry.dir ??= this.loadTree(entry.id);
    return entry.dir;
  }

  private entry(node: DirNode, name: string): Entry | undefined {
    const position = node.positions.get(name);
    return position === undefined ? undefined : node.entries[position];
  }

  /** Every file of a tree as path → blob id (submodule links left out). */
  flatten(treeId: string): Map<string, string> {
    const cached = this.flatIndexes.get(treeId);
    if (cached) return cached;
    const files = new Map<string, string>();
    const walk = (node: DirNode, prefix: string) => {
      node.entries.forEach((entry, i) => {
        const path = `${prefix}${node.names[i]}`;
        if (entry.mode === TREE_MODE) walk(this.subtree(entry), `${path}/`);
        else if (entry.mode !== GITLINK_MODE) files.set(path, entry.id);
      });
    };
    walk(this.root(treeId), '');
    this.remember(this.flatIndexes, treeId, files, KEPT_FLAT_INDEXES);
    return files;
  }

  /** The entry at a path (a file or a folder), reading only the trees along the way. */
  lookup(treeId: string, path: string): { mode: string; id: string } | undefined {
    const segments = path.split('/').filter(Boolean);
    if (segments.length === 0) return { mode: TREE_MODE, id: treeId };
    let node = this.root(treeId, false);
    for (let i = 0; i < segments.length; i++) {
      const entry = this.entry(node, segments[i]);
      if (!entry) return undefined;
      if (i === segments.length - 1) return { mode: entry.mode, id: entry.id };
      if (entry.mode !== TREE_MODE) return undefined;
      // Not kept in the entry: a tree read for a lookup stays only as long as the bounded cache of read trees has it.
      node = entry.dir ?? this.loadTree(entry.id);
    }
    return undefined;
  }

  /** The names of the folders in the folder at `path` ('' the root) of a root tree; none where that is a file or nothing. */
  folderNames(treeId: string, path: string): string[] {
    const id = this.folderId(treeId, path);
    if (id === undefined) return [];
    const node = id === treeId ? this.root(treeId, false) : this.loadTree(id);
    return node.names.filter((_, i) => node.entries[i].mode === TREE_MODE);
  }

  /** The id of the folder at `path` of a root tree (undefined: the empty tree); undefined where that is a file or nothing. */
  private folderId(treeId: string | undefined, path: string): string | undefined {
    const entry = treeId === undefined ? undefined : this.lookup(treeId, path);
    return entry?.mode === TREE_MODE ? entry.id : undefined;
  }

  /**
   * A tree's entries as name → id, for comparing. Kept for the last few trees only, apart from the cache of read
   * trees: a walk compares each commit's tree with its parent's and then the parent's with its own, and 10,000 root
   * trees made into nodes, cached and pushed out again cost more in garbage collection than reading them.
   */
  private entryIds(id: string): Map<string, string> {
    const kept = this.comparedTrees.get(id);
    if (kept) return kept;
    const node = this.readTrees.get(id) ?? this.roots.get(id);
    const ids = node
      ? new Map(node.names.map((name, i) => [name, node.entries[i].id]))
      : new Map(parseTree(this.readTreeObject(id)).map((entry) => [entry.name, entry.id]));
    this.remember(this.comparedTrees, id, ids, KEPT_COMPARED_TREES);
    return ids;
  }

  /**
   * The names in the folder at `path` whose entry differs between two root trees (undefined: the empty tree), as
   * `git diff-tree` compares them: by id, so equal subtrees are never opened.
   */
  changedNames(treeId: string | undefined, baseTreeId: string | undefined, path: string): string[] {
    const now = this.folderId(treeId, path);
    const before = this.folderId(baseTreeId, path);
    if (now === before) return [];
    const nowIds = now === undefined ? new Map<string, string>() : this.entryIds(now);
    const beforeIds = before === undefined ? new Map<string, string>() : this.entryIds(before);
    const changed: string[] = [];
    for (const [name, id] of nowIds) if (beforeIds.get(name) !== id) changed.push(name);
    for (const name of beforeIds.keys()) if (!nowIds.has(name)) changed.push(name);
    return changed;
  }

  /** A new version of `node` with `edits` (name → new entry, or null to remove) applied. */
  private edit(node: DirNode | undefined, edits: Map<string, Entry | null>): DirNode | undefined {
    const samePlaces =
      node !== undefined &&
      [...edits].every(([name, entry]) => {
        const old = this.entry(node, name);
        return (
          entry !== null &&
          old !== undefined &&
          old.mode.length === entry.mode.length &&
          (old.mode === TREE_MODE) === (entry.mode === TREE_MODE)
        );
      });
    if (node && samePlaces) {
      const content = Buffer.from(node.content);
      const entries = node.entries.slice();
      for (const [name, entry] of edits) {
        const position = node.positions.get(name)!;
        const start = node.starts[position];
        entries[position] = entry!;
        content.write(entry!.mode, start, 'latin1');
        content.write(entry!.id, content.indexOf(0, start) + 1, 'hex');
      }
      return { ...node, id: hashObject('tree', content), content, entries };
    }
    const merged = new Map<string, Entry>(node?.names.map((name, i) => [name, node.entries[i]]));
    for (const [name, entry] of edits) {
      if (entry) merged.set(name, entry);
      else merged.delete(name);
    }
    if (merged.size === 0) return undefined;
    const sorted = sortTreeEntries([...merged].map(([name, entry]) => ({ name, mode: entry.mode, id: entry.id })));
    const content = encodeSortedTree(sorted);
    const built = dirNode(hashObject('tree', content), content, sorted, entryStarts(sorted));
    built.entries = sorted.map((entry) => merged.get(entry.name)!);
    return built;
  }

  private located(objects: NewObject[]): Pick<TreeUpdate, 'objects' | 'stored'> {
    const { missing, stored } = this.reader.locate(objects);
    return { objects: missing, stored };
  }

  /**
   * Applies blob changes (path → blob, or null to delete) to a tree (undefined: the empty tree).
   * Folders left empty disappear, as git has no empty trees.
   */
  apply(baseTree: string | undefined, changes: Map<string, BlobChange | null>): TreeUpdate {
    const root: ChangeTree = { files: new Map(), dirs: new Map() };
    const blobs = new Map<string, BlobChange>();
    // Paths come grouped by folder (a list page is one kind in name order), so a folder is split and found once.
    let folder: string | undefined;
    let folderNode = root;
    for (const [path, change] of changes) {
      const slash = path.lastIndexOf('/');
      const name = path.slice(slash + 1);
      if (slash === -1 || path.slice(0, slash) !== folder) {
        const segments = splitRepoPath(path);
        folder = slash === -1 ? undefined : path.slice(0, slash);
        folderNode = changeFolder(root, segments);
      } else checkFileName(path, name);
      folderNode.files.set(name, change ? change.id : null);
      if (change) blobs.set(change.id, change);
    }
    const objects: NewObject[] = [];
    const changedPaths: TreeUpdate['changedPaths'] = [];
    const queued = new Set<string>();
    const queue = (object: NewObject) => {
      if (queued.has(object.id)) return;
      queued.add(object.id);
      objects.push(object);
    };

    const build = (node: DirNode | undefined, change: ChangeTree, prefix: string): DirNode | undefined => {
      const edits = new Map<string, Entry | null>();
      for (const [name, id] of change.files) {
        const existing = node && this.entry(node, name);
        if (id === null) {
          if (!existing) continue;
          if (existing.mode === TREE_MODE)
            throw new RepositoryError(`Cannot delete "${prefix}${name}": it is a folder, not a file.`);
          edits.set(name, null);
          changedPaths.push({ path: `${prefix}${name}`, id: null });
          continue;
        }
        if (existing?.mode === TREE_MODE)
          throw new RepositoryError(`Cannot write the file "${prefix}${name}": a folder of that name exists.`);
        if (existing && existing.id === id && existing.mode === FILE_MODE) continue;
        edits.set(name, { mode: FILE_MODE, id });
        const blob = blobs.get(id)!;
        queue({ id, type: 'blob', content: blob.content, packed: blob.packed });
        changedPaths.push({ path: `${prefix}${name}`, id });
      }
      for (const [name, subChange] of change.dirs) {
        const existing = edits.has(name) ? undefined : node && this.entry(node, name);
        if (existing && existing.mode !== TREE_MODE) {
          throw new RepositoryError(`Cannot write into "${prefix}${name}/": a file of that name exists.`);
        }
        const before = existing ? this.subtree(existing) : undefined;
        const after = build(before, subChange, `${prefix}${name}/`);
        if (after === before) continue;
        edits.set(name, after ? { mode: TREE_MODE, id: after.id, dir: after } : null);
      }
      if (edits.size === 0) return node;
      const next = this.edit(node, edits);
      if (next) queue({ id: next.id, type: 'tree', content: next.content });
      return next;
    };

    const after = build(baseTree ? this.root(baseTree) : undefined, root, '');
    if (!after) {
      const content = Buffer.alloc(0);
      const id = hashObject('tree', content);
      queue({ id, type: 'tree', content });
      return { tree: id, ...this.located(objects), changedPaths };
    }
    this.remember(this.roots, after.id, after, KEPT_ROOTS);
    return { tree: after.id, ...this.located(objects), changedPaths };
  }
}
