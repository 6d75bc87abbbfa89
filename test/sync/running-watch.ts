// `kubesnap watch` as a child process of the real CLI, and what tests ask of it: its output, its exit code,
// its status server, the branch it commits to.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '../../lib/sim/index.ts';
import { eventually } from '../helpers/cluster.ts';
import { git } from '../helpers/processes.ts';

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));

export interface RunningWatch {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** `cluster`: the simulator, or anything with a kubeconfig file for it. */
export function startWatch(cluster: Pick<Simulator, 'kubeconfigPath'>, repo: string, ...args: string[]): RunningWatch {
  const child = spawn(
    process.execPath,
    [bin, '--kubeconfig', cluster.kubeconfigPath, '--repo', repo, 'watch', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** The status server's base URL, once a watch started with `--listen 127.0.0.1:0` logged it. */
export async function statusUrlOf(running: RunningWatch): Promise<string> {
  const address = await eventually(
    () => /address=(127\.0\.0\.1:\d+)/.exec(running.output())?.[1],
    20_000,
    `the status server (output: ${running.output()})`,
  );
  return `http://${address}`;
}

export async function readyz(base: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.text()).trim() };
}

export async function metricsOf(base: string): Promise<string> {
  return (await fetch(`${base}/metrics`)).text();
}

export async function headOf(repo: string): Promise<string | undefined> {
  const result = await git(repo, 'rev-parse', '--verify', '-q', 'refs/heads/main').catch(() => '');
  return result.trim() || undefined;
}
