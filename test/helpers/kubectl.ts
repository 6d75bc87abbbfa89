// The real kubectl (/usr/bin/kubectl) as a second client of the simulator, always with a time limit.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';

// kubectl caches discovery under ~/.kube/cache by default; tests keep theirs in a temp dir of this process.
const cacheDir = mkdtempSync(join(tmpdir(), 'kubesnap-kubectl-cache-'));
process.on('exit', () => rmSync(cacheDir, { recursive: true, force: true }));

function kubectlArgs(kubeconfig: string, args: string[]): string[] {
  return ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args];
}

export function kubectl(
  kubeconfig: string,
  args: string[],
  input?: string,
  timeoutMs = 20_000,
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, kubectlArgs(kubeconfig, args), {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, KUBECONFIG: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** kubectl succeeded, or the test fails with what kubectl said. */
export async function kubectlOk(kubeconfig: string, args: string[], input?: string): Promise<string> {
  const result = await kubectl(kubeconfig, args, input);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

export interface RunningKubectl {
  lines: string[];
  /** Resolves once a line satisfies `predicate`; rejects after `timeoutMs`. */
  waitForLine(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** A long-running kubectl (e.g. `get --watch-only`) whose output is read line by line. */
export function spawnKubectl(kubeconfig: string, args: string[]): RunningKubectl {
  const child = spawn(KUBECTL, kubectlArgs(kubeconfig, args), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: '' },
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    partial += chunk.toString('utf8');
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    for (const waiter of waiters) waiter();
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return {
    lines,
    waitForLine(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = lines.find(predicate);
          if (found === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching line from kubectl ${args.join(' ')} within ${timeoutMs} ms; got:\n${lines.join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      clearTimeout(killer);
      child.kill('SIGTERM');
      await exited;
    },
  };
}
