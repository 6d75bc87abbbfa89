// `kubesnap sim` as a user starts it: the real CLI in a child process, its kubeconfig written to a file.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));

export interface RunningSim {
  stdout: () => string;
  stderr: () => string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `kubesnap sim --write-kubeconfig KUBECONFIG ...args` and resolves once it serves. */
export async function startSimCli(kubeconfig: string, args: string[] = []): Promise<RunningSim> {
  const child = spawn(process.execPath, [bin, 'sim', '--write-kubeconfig', kubeconfig, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const running: RunningSim = {
    stdout: () => stdout,
    stderr: () => stderr,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kubesnap sim did not start: ${stdout}${stderr}`)), 30_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('Press Ctrl-C')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}
