import {
  appendFileSync,
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { RepositoryError } from '../errors/index.ts';

export const ZERO_ID = '0'.repeat(40);
/**
 * Git holds a ref lock for milliseconds; one this old was left by a process killed mid-update. Removing it lets an
 * unattended `kubesnap watch` carry on after a crash instead of failing on every commit.
 */
const STALE_REF_LOCK_MS = 60_000;
const ID_PATTERN = /^[0-9a-f]{40}$/;

export interface ReflogEntry {
  old: string;
  new: string;
  /** Seconds since the epoch. */
  timestamp: number;
  message: string;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw error;
  }
}

/** Loose refs, packed-refs, symbolic refs and reflogs of one gitdir, read and written the way git does. */
export class RefStore {
  constructor(readonly gitdir: string) {}

  private packedRefs(): Map<string, string> {
    const refs = new Map<string, string>();
    for (const line of (readText(join(this.gitdir, 'packed-refs')) ?? '').split('\n')) {
      if (!line || line.startsWith('#') || line.startsWith('^')) continue;
      const [id, name] = line.split(' ');
      if (ID_PATTERN.test(id) && name) refs.set(name, id);
    }
    return refs;
  }

  /** The raw value of one ref: an id, a symbolic target, or nothing when it does not exist. */
  readRaw(name: string): { id?: string; target?: string } | undefined {
    const text = readText(join(this.gitdir, name));
    if (text !== undefined) {
      const value = text.trim();
      if (value.startsWith('ref: ')) return { target: value.slice(5).trim() };
      if (ID_PATTERN.test(value)) return { id: value };
      throw new RepositoryError(`The ref ${name} in ${this.gitdir} is corrupt.`);
    }
    const packed = name.startsWith('refs/') ? this.packedRefs().get(name) : undefined;
    return packed ? { id: packed } : undefined;
  }

  /** The id a ref points at after following symbolic refs; undefined when unborn or missing. */
  resolve(name: string): string | undefined {
    let current = name;
    for (let depth = 0; depth < 5; depth++) {
      const raw = this.readRaw(current);
      if (!raw) return undefined;
      if (raw.id) return raw.id;
      current = raw.target!;
    }
    throw new RepositoryError(`The ref ${name} is a loop of symbolic refs.`);
  }

  /** The branch ref HEAD points at (refs/heads/...), or undefined when HEAD is detached. */
  headTarget(): string | undefined {
    return this.readRaw('HEAD')?.target;
  }

  exists(name: string): boolean {
    return this.readRaw(name) !== undefined;
  }

  readReflog(name: string): ReflogEntry[] {
    const entries: ReflogEntry[] = [];
    for (const line of (readText(join(this.gitdir, 'logs', name)) ?? '').split('\n')) {
      const match = /^([0-9a-f]{40}) ([0-9a-f]{40}) .*> (\d+) [+-]\d{4}(?:\t(.*))?$/.exec(line);
      if (match) entries.push({ old: match[1], new: match[2], timestamp: Number(match[3]), message: match[4] ?? '' });
    }
    return entries;
  }

  private removeStaleLock(lockPath: string): void {
    try {
      if (Date.now() - statSync(lockPath).mtimeMs > STALE_REF_LOCK_MS) rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /**
   * Moves a ref from `expected` (undefined: must not exist yet) to `id`, atomically: a `<ref>.lock` file made with
   * O_EXCL (the same lock git takes), the value compared under the lock, reflogs appended, then a rename.
   */
  update(name: string, id: string, expected: string | undefined, reflog: { identity: string; message: string }): void {
    const path = join(this.gitdir, name);
    const lockPath = `${path}.lock`;
    mkdirSync(dirname(path), { recursive: true });
    this.removeStaleLock(lockPath);
    let fd: number;
    try {
      fd = openSync(lockPath, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new RepositoryError(
          `Cannot update ${name}: ${lockPath} exists; another git process is writing it (remove the file if none is running).`,
        );
      }
      throw error;
    }
    try {
      const current = this.resolve(name);
      if (current !== expected) {
        throw new RepositoryError(
          `Cannot update ${name}: it moved to ${current ?? 'nothing'} while kubesnap expected ${expected ?? 'nothing'}.`,
        );
      }
      writeSync(fd, `${id}\n`);
      closeSync(fd);
      const line = `${expected ?? ZERO_ID} ${id} ${reflog.identity}\t${reflog.message.replace(/\n/g, ' ')}\n`;
      const logs = [name];
      if (this.headTarget() === name) logs.push('HEAD');
      for (const log of logs) {
        const logPath = join(this.gitdir, 'logs', log);
        mkdirSync(dirname(logPath), { recursive: true });
        appendFileSync(logPath, line);
      }
      renameSync(lockPath, path);
    } catch (error) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      rmSync(lockPath, { force: true });
      throw error;
    }
  }
}
