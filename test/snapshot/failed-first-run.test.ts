// A first snapshot or watch that fails before it has anything to write leaves the --repo folder as it was:
// missing when it was missing, empty when it was empty.
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { git } from '../helpers/processes.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const failedRun = simulatorSuite('a failed first run');

/** A kubeconfig for a loopback port nothing listens on. */
async function closedPortKubeconfig(dir: string): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  const path = join(dir, 'closed-port.kubeconfig');
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: closed',
      'clusters:',
      '- name: closed',
      `  cluster: {server: "http://127.0.0.1:${port}"}`,
      'contexts:',
      '- name: closed',
      '  context: {cluster: closed, user: nobody}',
      'users:',
      '- name: nobody',
      '  user: {token: t}',
      '',
    ].join('\n'),
  );
  return path;
}

failedRun(
  'snapshot with an unknown kind, a bad selector or a closed port creates no repository',
  async ({ sim, tmp }) => {
    const closed = await closedPortKubeconfig(tmp.path);
    const cases: Array<[string, string, string[]]> = [
      ['unknown kind', sim.kubeconfigPath, ['snapshot', '--include', 'foos']],
      ['bad selector', sim.kubeconfigPath, ['snapshot', '-l', 'app in (']],
      ['closed port', closed, ['snapshot']],
    ];
    for (const [what, kubeconfig, args] of cases) {
      const missing = join(tmp.path, `missing-${what.replace(/ /g, '-')}`, 'repo');
      const result = await runCli(['--kubeconfig', kubeconfig, '--repo', missing, ...args]);
      assert.is.not(result.code, 0, `${what}: ${result.stdout}`);
      assert.is(existsSync(join(missing, '..')), false, `${what}: the folder ${missing} was left behind`);

      const empty = join(tmp.path, `empty-${what.replace(/ /g, '-')}`);
      mkdirSync(empty);
      const again = await runCli(['--kubeconfig', kubeconfig, '--repo', empty, ...args]);
      assert.is.not(again.code, 0);
      assert.equal(readdirSync(empty), [], `${what}: the empty folder was written to`);
    }
  },
);

failedRun('watch with an unknown kind creates no repository', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'watch-repo');
  const result = await runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'watch', '--include', 'foos']);
  assert.is.not(result.code, 0);
  assert.is(existsSync(repo), false);
});

failedRun('a failed run on an existing repository leaves it and its history alone', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'existing');
  assert.is((await runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'snapshot'])).code, 0);
  const head = await git(repo, 'rev-parse', 'HEAD');
  const failed = await runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'snapshot', '--include', 'foos']);
  assert.is.not(failed.code, 0);
  assert.is(await git(repo, 'rev-parse', 'HEAD'), head);
});

failedRun.run();
