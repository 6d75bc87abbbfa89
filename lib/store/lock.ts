import { createHash, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LockedError, RepositoryError } from '../errors/index.ts';
import { diskFullError } from './disk-full.ts';
import { isRunning, processIdentity, type ProcessIdentity } from './process-identity.ts';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
}

interface LockRecord extends LockHolder, ProcessIdentity {
  /** ISO time the lock was taken. */
  since: string;
  /** Random: no two records are the same text, so "the file still holds what I judged stale" is a text compare. */
  instance: string;
}

const LOCK_FILE = 'kubesnap.lock';
const ATTEMPTS = 20;
/** How long to wait for another starter that is taking over the same stale lock. */
const TAKEOVER_WAIT_MS = 5;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseRecord(text: string): LockRecord | undefined {
  try {
    const record = JSON.parse(text) as LockRecord;
    return typeof record?.pid === 'number' ? record : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A lock is stale when it is unreadable debris, or its holder ran on this host and is gone: its pid is dead, or is
 * now another process (another boot, another start time: a restarted PID 1). A lock from another host is trusted.
 */
function isStale(text: string): boolean {
  const record = parseRecord(text);
  if (!record) return true;
  return record.host === hostname() && !isRunning(record.pid, record);
}

/** Creates `path` as a hard link to our draft: fails with EEXIST if it exists, and is never seen half-written. */
function tryLink(draft: string, path: string): boolean {
  try {
    linkSync(draft, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes `target` if it still holds `staleText`, so that of all starters that judged it stale at most one
 * removes it: only the holder of a takeover file named after that exact text may, and it compares the text again
 * under it. A takeover file whose own holder died is stale in turn and taken over the same way.
 */
async function removeStale(lockPath: string, target: string, staleText: string, draft: string): Promise<void> {
  const takeover = `${lockPath}.takeover-${createHash('sha256').update(`${target}\0${staleText}`).digest('hex').slice(0, 16)}`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryLink(draft, takeover)) {
      try {
        if (readText(target) === staleText) rmSync(target, { force: true });
      } finally {
        rmSync(takeover, { force: true });
      }
      return;
    }
    const holder = readText(takeover);
    if (holder === undefined) continue;
    if (!isStale(holder)) {
      await sleep(TAKEOVER_WAIT_MS);
      return;
    }
    await removeStale(lockPath, takeover, holder, draft);
  }
}

function lockedBy(text: string, path: string): LockedError {
  const holder = parseRecord(text)!;
  return new LockedError(
    `repository is locked by ${holder.command} (pid ${holder.pid} on host ${holder.host}) since ${holder.since}; ` +
      `stop it or remove ${path} if it is gone.`,
  );
}

/** Writes our record to a file of our own, to be linked into place; nothing is left when that fails. */
function writeDraft(gitdir: string, draft: string, text: string): void {
  try {
    writeFileSync(draft, text, { mode: 0o644 });
  } catch (error) {
    rmSync(draft, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new RepositoryError(`Cannot lock ${gitdir}: it is not a git directory.`);
    throw diskFullError(error, gitdir, 0);
  }
}

/**
 * Takes the repository's kubesnap lock: `<gitdir>/kubesnap.lock`, created atomically and holding who took it
 * (pid, host, boot id, process start time). A stale lock is taken over, by one starter only; a live one is a
 * LockedError naming its holder.
 */
export async function acquireLockFile(gitdir: string, holder: LockHolder): Promise<{ release(): Promise<void> }> {
  const path = join(gitdir, LOCK_FILE);
  const record: LockRecord = { ...holder, ...processIdentity(holder.pid), since: new Date().toISOString(), instance: randomBytes(8).toString('hex') };
  const text = `${JSON.stringify(record)}\n`;
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeDraft(gitdir, draft, text);
  try {
    await takeLock(path, draft, text);
  } catch (error) {
    throw diskFullError(error, gitdir, 0);
  } finally {
    rmSync(draft, { force: true });
  }
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      // Only remove the file if it is still ours: a takeover after we were considered stale must survive.
      if (readText(path) === text) rmSync(path, { force: true });
    },
  };
}

async function takeLock(path: string, draft: string, text: string): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryLink(draft, path)) return;
    const existing = readText(path);
    if (existing === undefined) continue;
    if (!isStale(existing)) throw lockedBy(existing, path);
    await removeStale(path, path, existing, draft);
  }
  throw new LockedError(`repository lock ${path} keeps reappearing; another kubesnap is starting at the same time.`);
}
