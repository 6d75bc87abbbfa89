import {
  completeAuthor,
  encodeCommit,
  encodeSortedTree,
  FILE_MODE,
  formatIdentity,
  hashObject,
  parseCommit,
  sortTreeEntries,
  type Author,
} from './git-object.ts';
import type { ObjectReader } from './object-reader.ts';
import { writeLooseObject } from './object-writer.ts';
import type { RefStore } from './refs.ts';
import type { TreeCache } from './tree-cache.ts';

/**
 * git notes (`refs/notes/<name>`): a commit whose tree holds one file per annotated commit, named by its id (git may
 * have fanned them out into `ab/cdef…` folders; both are read). Written flat, which git reads as well, and never
 * rewritten: each change is a new notes commit on top of the last, as `git notes append` makes.
 */
export class Notes {
  constructor(
    private readonly reader: ObjectReader,
    private readonly refs: RefStore,
    private readonly trees: TreeCache,
    private readonly objectsDir: string,
  ) {}

  /** Annotated commit id → the note's blob id. */
  private entries(ref: string): { head?: string; notes: Map<string, string> } {
    const head = this.refs.resolve(ref);
    const notes = new Map<string, string>();
    if (!head) return { notes };
    const { tree } = parseCommit(this.reader.read(head).content);
    for (const [path, id] of this.trees.flatten(tree)) notes.set(path.replaceAll('/', ''), id);
    return { head, notes };
  }

  /** Every note of the ref: annotated commit id → text. */
  read(ref: string): Map<string, string> {
    const texts = new Map<string, string>();
    for (const [commit, blob] of this.entries(ref).notes)
      texts.set(commit, this.reader.read(blob).content.toString('utf8'));
    return texts;
  }

  /** Adds `text` at the end of the commit's note (made when it has none); returns the new notes commit. */
  append(ref: string, commit: string, text: string, author: Author): string {
    const { head, notes } = this.entries(ref);
    const before = notes.has(commit) ? this.reader.read(notes.get(commit)!).content.toString('utf8') : '';
    const content = Buffer.from(before + (text.endsWith('\n') ? text : `${text}\n`));
    const blob = this.write('blob', content);
    notes.set(commit, blob);
    const tree = this.write(
      'tree',
      encodeSortedTree(sortTreeEntries([...notes].map(([name, id]) => ({ name, mode: FILE_MODE, id })))),
    );
    const identity = completeAuthor(author);
    const notesCommit = this.write(
      'commit',
      encodeCommit({
        tree,
        parents: head ? [head] : [],
        author: identity,
        committer: identity,
        message: `Notes added by kubesnap\n`,
      }),
    );
    this.refs.update(ref, notesCommit, head, {
      identity: formatIdentity(identity),
      message: 'notes: added by kubesnap',
    });
    return notesCommit;
  }

  /**
   * Makes the ref contain the notes commit `other` (fetched from a remote): a fast-forward when the ref has nothing
   * of its own, else a merge commit whose notes are both sides' (a commit noted on both keeps this side's text and
   * then the other's lines it lacks), so no note of either side is lost. Returns the ref's new head.
   */
  merge(ref: string, other: string, author: Author, isAncestor: (ancestor: string, commit: string) => boolean): string {
    const ours = this.entries(ref);
    const identity = completeAuthor(author);
    const reflog = (message: string) => ({ identity: formatIdentity(identity), message });
    if (ours.head === other || (ours.head && isAncestor(other, ours.head))) return ours.head;
    if (!ours.head || isAncestor(ours.head, other)) {
      this.refs.update(ref, other, ours.head, reflog('notes: fast-forward to the remote'));
      return other;
    }
    const notes = new Map(ours.notes);
    const { tree: theirTree } = parseCommit(this.reader.read(other).content);
    for (const [path, blob] of this.trees.flatten(theirTree)) {
      const commit = path.replaceAll('/', '');
      const mine = notes.get(commit);
      if (mine === undefined) notes.set(commit, blob);
      else if (mine !== blob) notes.set(commit, this.write('blob', this.union(mine, blob)));
    }
    const tree = this.write(
      'tree',
      encodeSortedTree(sortTreeEntries([...notes].map(([name, id]) => ({ name, mode: FILE_MODE, id })))),
    );
    const merged = this.write(
      'commit',
      encodeCommit({
        tree,
        parents: [ours.head, other],
        author: identity,
        committer: identity,
        message: 'Notes merged by kubesnap\n',
      }),
    );
    this.refs.update(ref, merged, ours.head, reflog('notes: merged the remote'));
    return merged;
  }

  /** This note's text, then the lines of the other it does not have. */
  private union(mine: string, theirs: string): Buffer {
    const text = this.reader.read(mine).content.toString('utf8');
    const have = new Set(text.split('\n'));
    const missing = this.reader
      .read(theirs)
      .content.toString('utf8')
      .split('\n')
      .filter((line) => line && !have.has(line));
    const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
    return Buffer.from(base + missing.map((line) => `${line}\n`).join(''));
  }

  private write(type: 'blob' | 'tree' | 'commit', content: Buffer): string {
    const id = hashObject(type, content);
    writeLooseObject(this.objectsDir, { id, type, content });
    return id;
  }
}
