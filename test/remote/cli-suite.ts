import { suite } from 'uvu';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '../../lib/sim/index.ts';
import { startSeededSimulator } from '../helpers/cluster.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { startGitHttpServer, type GitHttpServer } from './git-servers.ts';

/** The token the CLI tests' git server requires. */
export const CLI_TOKEN = 'cli-tok-8c2e51f0a9';

export interface RemoteCliContext {
  sim: Simulator;
  server: GitHttpServer;
  tmp: { path: string; remove(): void };
}

/** A suite with a seeded simulator and a git http-backend server (repositories under `<tmp>/served`), started before and stopped after. */
export function remoteCliSuite(name: string) {
  const remoteTest = suite<RemoteCliContext>(name);
  remoteTest.before(async (context) => {
    context.tmp = temporaryDirectory('kubesnap-cli-remote-');
    context.sim = await startSeededSimulator({ bookmarkIntervalMs: 500 });
    context.server = await startGitHttpServer(join(context.tmp.path, 'served'), CLI_TOKEN);
  });
  remoteTest.after(async (context) => {
    await context.server?.stop();
    await context.sim?.stop();
    context.tmp?.remove();
  });
  return remoteTest;
}

/** ConfigMap `name` created in namespace shop with the real kubectl (a failure fails the test with what kubectl said). */
export async function createConfigMap(context: RemoteCliContext, name: string): Promise<void> {
  await kubectlOk(context.sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', name, '--from-literal=k=v']);
}

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));

export interface WatchProcess {
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** The real `kubesnap watch` against the suite's simulator, into `repo`, with the CLI token in its environment. */
export function startWatch(context: RemoteCliContext, repo: string, args: string[]): WatchProcess {
  const child = spawn(
    process.execPath,
    [bin, '--kubeconfig', context.sim.kubeconfigPath, '--repo', repo, 'watch', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KUBESNAP_GIT_TOKEN: CLI_TOKEN },
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { output: () => output, exited, kill: (signal) => child.kill(signal) };
}
