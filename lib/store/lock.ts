import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LockedError, RepositoryError } from '../errors/index.ts';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
}

interface LockRecord extends LockHolder {
  /** ISO time the lock was taken. */
  since: string;
}

const LOCK_FILE = 'kubesnap.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRecord(path: string): LockRecord | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockRecord;
  } catch {
    return undefined;
  }
}

/** A lock is stale when its holder ran on this host and is gone (or the file is unreadable debris). */
function isStale(record: LockRecord | undefined): boolean {
  if (!record || typeof record.pid !== 'number') return true;
  return record.host === hostname() && !isAlive(record.pid);
}

/**
 * Takes the repository's kubesnap lock: `<gitdir>/kubesnap.lock`, created atomically and holding who took it.
 * A stale lock is taken over; a live one is a LockedError naming its holder.
 */
export async function acquireLockFile(gitdir: string, holder: LockHolder): Promise<{ release(): Promise<void> }> {
  const path = join(gitdir, LOCK_FILE);
  const record: LockRecord = { ...holder, since: new Date().toISOString() };
  // The record is written to a file of our own and hard-linked into place: link() fails if the lock exists,
  // like O_EXCL, and a lock file is never seen half-written, so an unreadable one is debris.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    writeFileSync(draft, `${JSON.stringify(record)}\n`, { mode: 0o644 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RepositoryError(`Cannot lock ${gitdir}: it is not a git directory.`);
    throw error;
  }
  try {
    return await takeLock(path, draft, record);
  } finally {
    rmSync(draft, { force: true });
  }
}

async function takeLock(path: string, draft: string, record: LockRecord): Promise<{ release(): Promise<void> }> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      linkSync(draft, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = readRecord(path);
      if (isStale(existing)) {
        rmSync(path, { force: true });
        continue;
      }
      throw new LockedError(
        `repository is locked by ${existing!.command} (pid ${existing!.pid} on host ${existing!.host}) since ${existing!.since}; ` +
          `stop it or remove ${path} if it is gone.`,
      );
    }
    let released = false;
    return {
      async release() {
        if (released) return;
        released = true;
        // Only remove the file if it is still ours: a takeover after we were considered stale must survive.
        const current = readRecord(path);
        if (current && current.pid === record.pid && current.host === record.host && current.since === record.since) rmSync(path, { force: true });
      },
    };
  }
  throw new LockedError(`repository lock ${path} keeps reappearing; another kubesnap is starting at the same time.`);
}
