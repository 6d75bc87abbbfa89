// What every benchmark shares: medians, timing a process or a function, and the rows of the results table.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

export interface Row {
  figure: string;
  target: string;
  value: string;
  baseline: string;
  /** value / baseline as the target reads it (e.g. 1.2× the baseline's time); '' when there is no ratio. */
  ratio: string;
  met: boolean | undefined;
  /** Detail lines for RESULTS.md (runs, CPU time, what bounds it). */
  notes: string[];
}

export const quick = process.env.BENCH_QUICK === '1';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface Timing {
  wallMs: number;
  cpuMs: number;
  maxRssMb?: number;
}

/** Wall and CPU time of an in-process action. */
export async function timed<T>(action: () => Promise<T>): Promise<Timing & { result: T }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await action();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result };
}

/**
 * Runs a program to completion under /usr/bin/time (its CPU time and peak RSS), stdin from a file if given.
 * Resolves with the timing and its stdout; rejects with its stderr when it fails.
 */
export async function timedProcess(
  command: string[],
  options: { stdinFile?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Timing & { stdout: string }> {
  const timeFile = join(tmpdir(), `kubesnap-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const wrapped = existsSync('/usr/bin/time')
    ? ['/usr/bin/time', '-o', timeFile, '-f', '%U %S %M', ...command]
    : command;
  const { openSync, closeSync } = await import('node:fs');
  const input = options.stdinFile ? openSync(options.stdinFile, 'r') : 'ignore';
  const started = performance.now();
  const child = spawn(wrapped[0], wrapped.slice(1), {
    stdio: [input, 'pipe', 'pipe'],
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  if (typeof input === 'number') closeSync(input);
  if (code !== 0) throw new Error(`${command.join(' ').slice(0, 200)} failed (${code}): ${stderr.slice(-2000)}`);
  if (!existsSync(timeFile)) return { wallMs, cpuMs: NaN, stdout };
  const [user, system, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  rmSync(timeFile);
  return { wallMs, cpuMs: (user + system) * 1000, maxRssMb: rssKb / 1024, stdout };
}

const bin = new URL('../../bin/kubesnap.js', import.meta.url).pathname;

/**
 * `kubesnap snapshot` as a user runs it: bin/kubesnap.js in a new process. The first call builds the bundle if the
 * sources changed since the last build (an install step, as `npm ci` does it), so that no timed run includes it.
 */
export async function kubesnapSnapshot(
  kubeconfig: string,
  repo: string,
  nodeFlags: string[] = [],
): Promise<Timing & { stdout: string }> {
  await bundleBuilt();
  return timedProcess(['node', ...nodeFlags, bin, 'snapshot', '--kubeconfig', kubeconfig, '--repo', repo]);
}

/** Builds the bundle of the current sources once (bin/kubesnap.js does when they changed), outside any measurement. */
export function bundleBuilt(): Promise<unknown> {
  bundleReady ??= timedProcess(['node', bin, '--version']);
  return bundleReady;
}
let bundleReady: Promise<unknown> | undefined;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const millis = (ms: number) => `${ms.toFixed(0)} ms`;
export const times = (ratio: number) => `${ratio.toFixed(2)}×`;
export const runsOf = (values: number[], format: (n: number) => string) => values.map(format).join(', ');
