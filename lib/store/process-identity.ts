import { readFileSync } from 'node:fs';

/**
 * What tells one process apart from a later one that got the same pid: the kernel's boot id and the process's
 * start time (clock ticks after boot). A container restarted after kill -9 runs as PID 1 again, on the same host
 * and boot, but starts later. Both are undefined where /proc is not Linux's.
 */
export interface ProcessIdentity {
  bootId?: string;
  startTime?: number;
}

function readProcFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) is in parentheses and may hold spaces and ')'. */
function processStartTime(pid: number): number | undefined {
  const stat = readProcFile(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTime = Number(fields[22 - 3]);
  return Number.isInteger(startTime) ? startTime : undefined;
}

export function processIdentity(pid: number): ProcessIdentity {
  return { bootId: readProcFile('/proc/sys/kernel/random/boot_id')?.trim(), startTime: processStartTime(pid) };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process a record names (on this host) still runs: its pid is alive and, where the record says, it
 * is the same boot and the same start. A record without a start time (older kubesnap) trusts the pid alone,
 * except for our own pid: we write start times, so such a record is a predecessor's.
 */
export function isRunning(pid: number, recorded: ProcessIdentity): boolean {
  if (!isAlive(pid)) return false;
  const now = processIdentity(pid);
  if (recorded.startTime === undefined) return pid !== process.pid;
  if (recorded.bootId !== undefined && now.bootId !== undefined && recorded.bootId !== now.bootId) return false;
  return now.startTime === undefined || now.startTime === recorded.startTime;
}
