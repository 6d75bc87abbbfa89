// The real `kubesnap serve`, started as a user would, stopped with SIGTERM.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));

export interface ServeProcess {
  /** Where to connect: the announced address, with 0.0.0.0 reached through 127.0.0.1. */
  url: string;
  stderr(): string;
  stop(): Promise<number | null>;
}

export function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kubesnap serve did not start: ${stderr}`));
    }, 60_000);
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const announced = / at (http:\/\/\S+\/)/.exec(stderr)?.[1];
      if (!announced) return;
      clearTimeout(timer);
      resolve({
        url: announced.replace('//0.0.0.0:', '//127.0.0.1:'),
        stderr: () => stderr,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`kubesnap serve exited with ${code}: ${stderr}`));
    });
  });
}
