import { suite } from 'uvu';
import { join } from 'node:path';
import type { Simulator } from '../../lib/sim/index.ts';
import { startSeededSimulator } from '../helpers/cluster.ts';
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
