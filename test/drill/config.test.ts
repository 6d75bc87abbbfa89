// The configuration drill through the real CLI: into the simulator (the default) and into a staging cluster
// (kubeconfig:FILE); a manifest the server refuses fails the drill and is named; the result is a git note.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSimulator } from '../../lib/sim/index.ts';
import { runCli } from '../helpers/cli.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { startRestoreCluster } from '../restore/restore-setup.ts';
import { configMap, deployment, drillNote, git, namespace, writeRepository } from './drill-setup.ts';

test('a clean repository passes into the simulator: every object restored and read back, the redacted Secret listed, the note readable by git', async () => {
  const cluster = await startRestoreCluster();
  try {
    await cluster.snapshot();
    const result = await runCli(['drill', '--repo', cluster.repo]);
    assert.is(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /passed/);
    assert.match(result.stdout, /config: \d+ objects restored into the simulated API server and read back/);
    assert.match(result.stdout, /note: Secret\/shop\/web-credentials: cannot restore redacted values/);
    const head = (await git(cluster.repo, 'rev-parse', 'HEAD')).trim();
    assert.match(
      await drillNote(cluster.repo),
      /^kubesnap-drill \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ passed config=passed\n$/,
    );

    const reportFile = join(cluster.tmp.path, 'drill.md');
    const json = await runCli(['drill', '--repo', cluster.repo, '-o', 'json', '--no-record', '--report', reportFile]);
    assert.is(json.code, 0, json.stderr);
    assert.match(readFileSync(reportFile, 'utf8'), /^## Restore drill of `HEAD` \(`[0-9a-f]{12}`\): passed\n/);
    const report = JSON.parse(json.stdout);
    assert.is(report.revision.commit, head);
    assert.equal(
      report.parts.map((p: { part: string; status: string }) => `${p.part} ${p.status}`),
      ['config passed'],
    );
    assert.is((await drillNote(cluster.repo)).split('\n').filter(Boolean).length, 1, '--no-record writes no note');
    await git(cluster.repo, 'fsck', '--strict');
  } finally {
    await cluster.stop();
  }
});

test('a CR without its CRD and an invalid name fail the drill, each named; the failure is recorded too', async () => {
  const repo = await writeRepository([
    namespace('shop'),
    configMap('shop', 'fine'),
    configMap('shop', 'Not_A_Valid_Name'),
    [
      'gadgets',
      {
        apiVersion: 'example.org/v1',
        kind: 'Gadget',
        metadata: { name: 'orphan', namespace: 'shop' },
        spec: { size: 1 },
      },
    ],
  ]);
  try {
    const result = await runCli(['drill', '--repo', repo.repo, '-o', 'markdown']);
    assert.is(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /config: failed/);
    assert.match(result.stdout, /ConfigMap\/shop\/Not\\_A\\_Valid\\_Name/);
    assert.match(result.stdout, /gadgets\/shop\/orphan.*does not serve gadgets\.example\.org/);
    assert.not.match(result.stdout, /ConfigMap\/shop\/fine/);
    assert.match(await drillNote(repo.repo), / failed config=failed\n$/);
  } finally {
    repo.remove();
  }
});

test('an immutable field the staging cluster has otherwise fails a kubeconfig:FILE drill; --cleanup deletes only what the drill created', async () => {
  const staging = await startSimulator();
  const repo = await writeRepository([
    namespace('shop'),
    deployment('shop', 'web', 'web'),
    configMap('shop', 'web-config'),
  ]);
  try {
    const existing = JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [namespace('shop')[1], deployment('shop', 'web', 'legacy')[1]],
    });
    assert.is((await kubectl(staging.kubeconfigPath, ['create', '--validate=false', '-f', '-'], existing)).code, 0);
    const result = await runCli([
      'drill',
      '--repo',
      repo.repo,
      '--target',
      `kubeconfig:${staging.kubeconfigPath}`,
      '--cleanup',
    ]);
    assert.is(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /Deployment\/shop\/web.*immutable/);
    assert.not.ok(staging.get('', 'configmaps', 'shop', 'web-config'), 'what the drill created is deleted');
    assert.ok(staging.get('apps', 'deployments', 'shop', 'web'), 'what was there before stays');
    assert.ok(staging.get('', 'namespaces', undefined, 'shop'));
  } finally {
    repo.remove();
    await staging.stop();
  }
});

test('bad input is exit 2 with one sentence', async () => {
  const repo = await writeRepository([namespace('shop')]);
  try {
    const target = await runCli(['drill', '--repo', repo.repo, '--target', 'elsewhere']);
    assert.is(target.code, 2);
    assert.match(target.stderr, /--target "elsewhere" is not sim, namespaces or kubeconfig:FILE/);
    const cleanup = await runCli(['drill', '--repo', repo.repo, '--cleanup']);
    assert.is(cleanup.code, 2);
    const revision = await runCli(['drill', 'no-such-rev', '--repo', repo.repo]);
    assert.is(revision.code, 2, revision.stderr);
    assert.not.match(revision.stderr, /at .*\.ts:\d+/);
  } finally {
    repo.remove();
  }
});

test.run();
