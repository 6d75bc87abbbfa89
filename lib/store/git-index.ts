import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, type Stats, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RepositoryError } from '../errors/index.ts';

/** One entry of .git/index: the cached stat data, the blob id and the flags, as git stores them. */
export interface IndexEntry {
  path: string;
  id: string;
  /** ctime s, ctime ns, mtime s, mtime ns, dev, ino, mode, uid, gid, size. */
  stat: number[];
  /** The 16-bit flags without the name length (stage, assume-valid, extended). */
  flags: number;
  extendedFlags: number;
}

const EXTENDED = 0x4000;

function stage(entry: IndexEntry): number {
  return (entry.flags >> 12) & 3;
}

export function entryFromStat(path: string, id: string, stats: Stats): IndexEntry {
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const nanos = (ms: number) => Math.round((ms % 1000) * 1e6) % 1e9;
  const mode = stats.mode & 0o100 ? 0o100755 : 0o100644;
  return {
    path,
    id,
    stat: [
      seconds(stats.ctimeMs),
      nanos(stats.ctimeMs),
      seconds(stats.mtimeMs),
      nanos(stats.mtimeMs),
      stats.dev,
      stats.ino,
      mode,
      stats.uid,
      stats.gid,
      stats.size,
    ].map((value) => value >>> 0),
    flags: 0,
    extendedFlags: 0,
  };
}

/** The staging area (.git/index, versions 2 and 3), read whole and written back under index.lock. */
export class GitIndex {
  private constructor(
    private readonly path: string,
    private readonly version: number,
    readonly entries: Map<string, IndexEntry[]>,
    /** When the index file was written: a file changed at or after it may differ with the same stat data. */
    readonly writtenMs: number,
  ) {}

  static read(gitdir: string): GitIndex {
    const path = join(gitdir, 'index');
    let data: Buffer;
    let writtenMs: number;
    try {
      data = readFileSync(path);
      writtenMs = statSync(path).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new GitIndex(path, 2, new Map(), 0);
      throw error;
    }
    const corrupt = (why: string) => new RepositoryError(`The git index ${path} cannot be used: ${why}.`);
    if (data.toString('latin1', 0, 4) !== 'DIRC') throw corrupt('it is not an index file');
    const version = data.readUInt32BE(4);
    if (version !== 2 && version !== 3)
      throw corrupt(`index version ${version} is not supported (run "git update-index --index-version 2")`);
    const count = data.readUInt32BE(8);
    const entries = new Map<string, IndexEntry[]>();
    let at = 12;
    for (let i = 0; i < count; i++) {
      const start = at;
      const stat = Array.from({ length: 10 }, (_, k) => data.readUInt32BE(start + k * 4));
      const id = data.toString('hex', start + 40, start + 60);
      const rawFlags = data.readUInt16BE(start + 60);
      at = start + 62;
      let extendedFlags = 0;
      if (rawFlags & EXTENDED) {
        extendedFlags = data.readUInt16BE(at);
        at += 2;
      }
      const nul = data.indexOf(0, at);
      const entryPath = data.toString('utf8', at, nul);
      at = start + Math.ceil((nul - start + 1) / 8) * 8;
      const entry = { path: entryPath, id, stat, flags: rawFlags & 0xf000, extendedFlags };
      const list = entries.get(entryPath) ?? [];
      list.push(entry);
      entries.set(entryPath, list);
    }
    // Extensions follow; optional ones (upper-case first letter, e.g. the TREE cache) are dropped on write,
    // required ones (split index, sparse index) mean we cannot safely rewrite this file.
    while (at + 8 <= data.length - 20) {
      const signature = data.toString('latin1', at, at + 4);
      if (!(signature[0] >= 'A' && signature[0] <= 'Z')) throw corrupt(`it uses the "${signature}" extension`);
      at += 8 + data.readUInt32BE(at + 4);
    }
    return new GitIndex(path, version, entries, writtenMs);
  }

  /** The stage-0 entry of a path; undefined when untracked or in conflict. */
  get(path: string): IndexEntry | undefined {
    const list = this.entries.get(path);
    return list && list.length === 1 && stage(list[0]) === 0 ? list[0] : undefined;
  }

  /**
   * Whether the file's stat data says it is unchanged since it was indexed, by git's rule: same size and mtime,
   * and modified before the index was written (otherwise "racily clean": only its bytes can tell).
   */
  statUnchanged(entry: IndexEntry, stats: Stats): boolean {
    const indexedMs = entry.stat[2] * 1000 + Math.floor(entry.stat[3] / 1e6);
    const fileMs = Math.floor(stats.mtimeMs);
    return entry.stat[9] === stats.size >>> 0 && indexedMs === fileMs && fileMs < Math.floor(this.writtenMs);
  }

  inConflict(path: string): boolean {
    return (this.entries.get(path) ?? []).some((entry) => stage(entry) !== 0);
  }

  set(entry: IndexEntry): void {
    this.entries.set(entry.path, [entry]);
  }

  delete(path: string): void {
    this.entries.delete(path);
  }

  private encode(): Buffer {
    const all = [...this.entries.values()].flat();
    const keyed = all.map((entry) => ({ entry, key: Buffer.from(entry.path) }));
    keyed.sort((a, b) => Buffer.compare(a.key, b.key) || stage(a.entry) - stage(b.entry));
    const extended = all.some((entry) => entry.flags & EXTENDED);
    const parts: Buffer[] = [];
    const header = Buffer.alloc(12);
    header.write('DIRC', 0, 'latin1');
    header.writeUInt32BE(extended ? 3 : Math.min(this.version, 2), 4);
    header.writeUInt32BE(all.length, 8);
    parts.push(header);
    for (const { entry, key } of keyed) {
      const fixed = entry.flags & EXTENDED ? 64 : 62;
      const length = Math.ceil((fixed + key.length + 1) / 8) * 8;
      const buffer = Buffer.alloc(length);
      entry.stat.forEach((value, k) => buffer.writeUInt32BE(value >>> 0, k * 4));
      buffer.write(entry.id, 40, 'hex');
      buffer.writeUInt16BE((entry.flags & 0xf000) | Math.min(key.length, 0xfff), 60);
      if (entry.flags & EXTENDED) buffer.writeUInt16BE(entry.extendedFlags, 62);
      key.copy(buffer, fixed);
      parts.push(buffer);
    }
    const body = Buffer.concat(parts);
    return Buffer.concat([body, createHash('sha1').update(body).digest()]);
  }

  /** Writes the index back: index.lock (O_EXCL, as git), then a rename over the old one. */
  write(): void {
    const lockPath = `${this.path}.lock`;
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new RepositoryError(`Cannot update the git index: ${lockPath} exists; another git process is using it.`);
      }
      throw error;
    }
    try {
      writeSync(fd, this.encode());
      closeSync(fd);
      renameSync(lockPath, this.path);
    } catch (error) {
      rmSync(lockPath, { force: true });
      throw error;
    }
  }
}
