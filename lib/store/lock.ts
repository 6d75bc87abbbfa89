import { createHash, randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
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

export interface LockOptions {
  /** How often the holder touches the lock file, so that another host can tell a live holder from a dead one. */
  heartbeatMs?: number;
}

const LOCK_FILE = 'kubesnap.lock';
const HEARTBEAT_MS = 30_000;
/**
 * A lock from another host whose file nobody touched for this long is stale: its holder's heartbeat stopped (a pod
 * killed on another node, whose successor mounts the same volume under another host name). Ten heartbeats, and
 * room for the clocks of two hosts to differ.
 */
const FOREIGN_STALE_MS = 5 * 60_000;
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

function modifiedMs(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * A lock (`text`, read from `path`) is stale when it is unreadable debris; or its holder ran on this host and is
 * gone: its pid is dead, or is now another process (another boot, another start time: a restarted PID 1); or it ran
 * on another host and its heartbeat stopped.
 */
function isStale(path: string, text: string): boolean {
  const record = parseRecord(text);
  if (!record) return true;
  if (record.host === hostname()) return !isRunning(record.pid, record);
  const touched = modifiedMs(path);
  return touched !== undefined && Date.now() - touched > FOREIGN_STALE_MS;
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
    if (!isStale(takeover, holder)) {
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
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new RepositoryError(`Cannot lock ${gitdir}: it is not a git directory.`);
    throw diskFullError(error, gitdir, 0);
  }
}

/**
 * Takes the repository's kubesnap lock: `<gitdir>/kubesnap.lock`, created atomically and holding who took it
 * (pid, host, boot id, process start time), touched every heartbeat while held. A stale lock is taken over, by one
 * starter only; a live one is a LockedError naming its holder.
 */
export async function acquireLockFile(
  gitdir: string,
  holder: LockHolder,
  options: LockOptions = {},
): Promise<{ release(): Promise<void> }> {
  const path = join(gitdir, LOCK_FILE);
  const record: LockRecord = {
    ...holder,
    ...processIdentity(holder.pid),
    since: new Date().toISOString(),
    instance: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(record)}\n`;
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeDraft(gitdir, draft, text);
  try {
    await takeLock(path, draft);
  } catch (error) {
    throw diskFullError(error, gitdir, 0);
  } finally {
    rmSync(draft, { force: true });
  }
  const isOurs = () => readText(path) === text;
  const heartbeat = setInterval(() => {
    const now = new Date();
    try {
      if (isOurs()) utimesSync(path, now, now);
    } catch {
      // The repository is gone or read-only for a moment: the next heartbeat tries again.
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS).unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      // Only remove the file if it is still ours: a takeover after we were considered stale must survive.
      if (isOurs()) rmSync(path, { force: true });
    },
  };
}

async function takeLock(path: string, draft: string): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    if (tryLink(draft, path)) return;
    const existing = readText(path);
    if (existing === undefined) continue;
    if (!isStale(path, existing)) throw lockedBy(existing, path);
    await removeStale(path, path, existing, draft);
  }
  throw new LockedError(`repository lock ${path} keeps reappearing; another kubesnap is starting at the same time.`);
}
