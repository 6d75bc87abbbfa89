// kubesnap's own push (`snapshot --remote`, smart HTTP) carries the history and never the digest key, and a new
// pod on an empty /data that continues the remote's history under the same key (mounted, as in a cluster)
// finds nothing to commit.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { git, run } from '../helpers/processes.ts';
import { createBareRemote, startGitHttpServer, type GitHttpServer } from '../remote/git-servers.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const fixtureDir = new URL('../fixtures/cluster/', import.meta.url).pathname;
const TOKEN = 'digest-key-remote-token';

const remote = simulatorSuite<{ server: GitHttpServer }>('digest key and the remote', {
  seeded: false,
  prefix: 'kubesnap-key-remote-',
});

remote.before(async (context) => {
  context.server = await startGitHttpServer(join(context.tmp.path, 'served'), TOKEN);
  for (const file of ['00-namespaces.yaml', '05-crd.yaml', '10-shop.yaml']) {
    const created = await kubectl(context.sim.kubeconfigPath, ['create', '-f', join(fixtureDir, file)]);
    assert.is(created.code, 0, created.stderr);
  }
});

remote.after(async (context) => {
  await context.server?.stop();
});

remote(
  'snapshot --remote pushes no key; a new /data under the same key file continues without a commit',
  async ({ sim, tmp, server }) => {
    const served = await createBareRemote(join(tmp.path, 'served'), 'history.git');
    const keyFile = join(tmp.path, 'mounted-digest-key');
    writeFileSync(keyFile, randomBytes(32).toString('hex'));
    const snapshot = (repo: string, env: NodeJS.ProcessEnv) =>
      runCli(
        [
          '--kubeconfig',
          sim.kubeconfigPath,
          '--repo',
          join(tmp.path, repo),
          'snapshot',
          '--remote',
          server.url('history.git'),
        ],
        { env: { KUBESNAP_GIT_TOKEN: TOKEN, ...env } },
      );

    const defaultKey = await snapshot('with-default-key', { KUBESNAP_DIGEST_KEY_FILE: '' });
    assert.is(defaultKey.code, 0, defaultKey.stderr);
    const key = readFileSync(join(tmp.path, 'with-default-key', 'kubesnap-digest-key'), 'utf8').trim();
    for (const name of readdirSync(served, { recursive: true, encoding: 'utf8' })) {
      const path = join(served, name);
      if (statSync(path).isFile()) assert.not.ok(readFileSync(path).includes(key), `the key is in ${path}`);
    }
    const objects = await run('git', ['--git-dir', served, 'cat-file', '--batch-all-objects', '--batch']);
    assert.not.ok(objects.stdout.includes(key), 'the key is in a pushed object');

    const first = await snapshot('pod-1', { KUBESNAP_DIGEST_KEY_FILE: keyFile });
    assert.is(first.code, 0, first.stderr);
    const head = (await git(served, 'rev-parse', 'main')).trim();
    assert.is(
      (await git(served, 'log', '-1', '--format=%s', 'main')).trim(),
      'secrets: digest key changed; every redacted value re-digested',
    );
    const second = await snapshot('pod-2', { KUBESNAP_DIGEST_KEY_FILE: keyFile });
    assert.is(second.code, 0, second.stderr);
    assert.match(second.stdout, /no commit, nothing changed/);
    assert.is((await git(served, 'rev-parse', 'main')).trim(), head);
  },
);

remote.run();
