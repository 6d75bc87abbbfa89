// A new --repo is a bare repository; --help says so and how to read it, and `git clone DIR` gives the manifests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSeededSimulator } from '../helpers/cluster.ts';
import { runCli } from '../helpers/cli.ts';
import { run, temporaryDirectory } from '../helpers/processes.ts';

test('--help says a new --repo is bare and how to read it', async () => {
  const help = await runCli(['--help']);
  assert.is(help.code, 0);
  assert.match(
    help.stdout.replace(/\s+/g, ' '),
    /--repo <dir> the snapshot Git repository; a new one is bare \(HEAD, config, objects, refs; no files\): read it with `git clone DIR`/,
  );
});

test('git clone of a new repository holds the manifests', async () => {
  const sim = await startSeededSimulator();
  const tmp = temporaryDirectory();
  try {
    const repo = join(tmp.path, 'repo');
    assert.is((await runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'snapshot'])).code, 0);
    assert.equal(
      readdirSync(repo)
        .filter((name) => ['HEAD', 'config', 'objects', 'refs'].includes(name))
        .sort(),
      ['HEAD', 'config', 'objects', 'refs'],
    );
    const work = join(tmp.path, 'work');
    const clone = await run('git', ['clone', '-q', repo, work]);
    assert.is(clone.code, 0, clone.stderr);
    assert.ok(existsSync(join(work, 'shop', 'deployments.apps', 'web.yaml')));
    assert.ok(existsSync(join(work, 'README.md')));
  } finally {
    await sim.stop();
    tmp.remove();
  }
});

test.run();
