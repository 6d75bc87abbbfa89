import { createHash } from 'node:crypto';
import { RepositoryError } from '../errors/index.ts';

/** Who made a commit. `timezoneOffset` follows Date#getTimezoneOffset: minutes, UTC+1 is -60. */
export interface Author {
  name: string;
  email: string;
  /** Seconds since the epoch; now when left out. */
  timestamp?: number;
  /** Minutes as Date#getTimezoneOffset gives them (UTC+1 is -60); 0 when left out. */
  timezoneOffset?: number;
}

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export interface GitObject {
  type: ObjectType;
  content: Buffer;
}

export interface TreeEntry {
  name: string;
  /** Octal mode as git writes it: 100644, 100755, 120000, 40000, 160000. */
  mode: string;
  id: string;
}

export interface CommitData {
  tree: string;
  parents: string[];
  author: Required<Author>;
  committer: Required<Author>;
  message: string;
}

export const TREE_MODE = '40000';
export const FILE_MODE = '100644';

export function objectHeader(type: ObjectType, length: number): Buffer {
  return Buffer.from(`${type} ${length}\0`);
}

export function hashObject(type: ObjectType, content: Buffer): string {
  // The header as a string: no Buffer made for it (a tenth of hashing a small blob).
  return createHash('sha1').update(`${type} ${content.length}\0`, 'latin1').update(content).digest('hex');
}

/**
 * Compares names by their UTF-8 bytes (git's order) without encoding them: UTF-16 code units already sort
 * like code points except surrogates against U+E000..U+FFFF, which the fix-up below reorders.
 */
function compareUtf8(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Sorts entries in git's tree order: by name, a subtree's name compared as if it ended in '/'. */
export function sortTreeEntries(entries: TreeEntry[]): TreeEntry[] {
  const keyed = entries.map((entry) => ({ entry, key: entry.mode === TREE_MODE ? `${entry.name}/` : entry.name }));
  // Plain string order is byte order for ASCII names (nearly all of them); the general comparison otherwise.
  const ascii = keyed.every(({ key }) => /^[\x00-\x7f]*$/.test(key));
  keyed.sort(ascii ? (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : (a, b) => compareUtf8(a.key, b.key));
  return keyed.map(({ entry }) => entry);
}

/** Encodes entries that are already in git's order (see compareTreeEntries) into one buffer. */
export function encodeSortedTree(entries: TreeEntry[]): Buffer {
  let length = 0;
  for (const entry of entries) length += entry.mode.length + Buffer.byteLength(entry.name) + 22;
  const tree = Buffer.allocUnsafe(length);
  let at = 0;
  for (const entry of entries) {
    at += tree.write(entry.mode, at, 'latin1');
    tree[at++] = 0x20;
    at += tree.write(entry.name, at, 'utf8');
    tree[at++] = 0;
    at += tree.write(entry.id, at, 'hex');
  }
  return tree;
}

export function parseTree(content: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  let at = 0;
  while (at < content.length) {
    const space = content.indexOf(0x20, at);
    const nul = content.indexOf(0, space);
    if (space < 0 || nul < 0 || nul + 21 > content.length)
      throw new RepositoryError('A tree object in the repository is corrupt.');
    entries.push({
      mode: content.toString('latin1', at, space),
      name: content.toString('utf8', space + 1, nul),
      id: content.toString('hex', nul + 1, nul + 21),
    });
    at = nul + 21;
  }
  return entries;
}

function formatTimezone(offsetMinutes: number): string {
  const east = -offsetMinutes;
  const sign = east < 0 ? '-' : '+';
  const abs = Math.abs(east);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

function parseTimezone(text: string): number {
  const match = /^([+-])(\d\d)(\d\d)$/.exec(text);
  if (!match) return 0;
  const east = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? east : -east;
}

export function completeAuthor(author: Author, now = Date.now()): Required<Author> {
  return {
    name: author.name,
    email: author.email,
    timestamp: author.timestamp ?? Math.floor(now / 1000),
    timezoneOffset: author.timezoneOffset ?? 0,
  };
}

/** The `Name <email> 1700000000 +0100` form git uses in commits and reflogs. */
export function formatIdentity(author: Required<Author>): string {
  for (const value of [author.name, author.email]) {
    if (/[<>\n\0]/.test(value))
      throw new RepositoryError(
        `The author "${value}" contains a character git does not allow (<, >, newline or NUL).`,
      );
  }
  return `${author.name} <${author.email}> ${author.timestamp} ${formatTimezone(author.timezoneOffset)}`;
}

function parseIdentity(text: string): Required<Author> {
  const match = /^(.*?) ?<([^>]*)> (\d+) ([+-]\d{4})$/.exec(text);
  if (!match) return { name: text, email: '', timestamp: 0, timezoneOffset: 0 };
  return { name: match[1], email: match[2], timestamp: Number(match[3]), timezoneOffset: parseTimezone(match[4]) };
}

export function encodeCommit(commit: CommitData): Buffer {
  const lines = [`tree ${commit.tree}`, ...commit.parents.map((parent) => `parent ${parent}`)];
  lines.push(`author ${formatIdentity(commit.author)}`, `committer ${formatIdentity(commit.committer)}`);
  const message = commit.message.endsWith('\n') ? commit.message : `${commit.message}\n`;
  return Buffer.from(`${lines.join('\n')}\n\n${message}`);
}

/** Header lines up to the first blank line, and the rest as the message. */
function splitHeaders(content: Buffer): { headers: Map<string, string[]>; message: string } {
  const text = content.toString('utf8');
  const end = text.indexOf('\n\n');
  const headerText = end < 0 ? text : text.slice(0, end);
  const headers = new Map<string, string[]>();
  let last: string | undefined;
  for (const line of headerText.split('\n')) {
    if (line.startsWith(' ') && last) {
      // A continuation line (gpgsig, mergetag): part of the previous header, not a header of its own.
      continue;
    }
    const space = line.indexOf(' ');
    last = line.slice(0, space);
    const values = headers.get(last) ?? [];
    values.push(line.slice(space + 1));
    headers.set(last, values);
  }
  return { headers, message: end < 0 ? '' : text.slice(end + 2) };
}

export function parseCommit(content: Buffer): CommitData {
  const { headers, message } = splitHeaders(content);
  const tree = headers.get('tree')?.[0];
  const author = headers.get('author')?.[0];
  const committer = headers.get('committer')?.[0];
  if (!tree || !author || !committer) throw new RepositoryError('A commit object in the repository is corrupt.');
  return {
    tree,
    parents: headers.get('parent') ?? [],
    author: parseIdentity(author),
    committer: parseIdentity(committer),
    message,
  };
}

/** The object an annotated tag points at. */
export function parseTagTarget(content: Buffer): string {
  const target = splitHeaders(content).headers.get('object')?.[0];
  if (!target) throw new RepositoryError('A tag object in the repository is corrupt.');
  return target;
}
