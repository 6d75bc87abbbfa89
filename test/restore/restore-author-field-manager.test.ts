// The restorer's name goes into a fieldManager, which the API server checks (ValidateFieldManager: at most 128
// bytes, printable characters only). The simulator checks it as the server does; a restore fits any name in.
// A restore also notes itself on the restored commit; failing to is a warning, as the cluster has changed.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kubectl } from '../helpers/kubectl.ts';
import { git } from '../helpers/processes.ts';
import { startRestoreCluster, type RestoreCluster } from './restore-setup.ts';

let cluster: RestoreCluster;

test.before(async () => {
  cluster = await startRestoreCluster();
});

test.after(async () => {
  await cluster?.stop();
});

test('the simulator refuses a fieldManager of more than 128 bytes or with a control character, as the API server', async () => {
  const create = (name: string, manager: string) =>
    kubectl(cluster.sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', name, `--field-manager=${manager}`]);
  assert.is((await create('fits', 'm'.repeat(128))).code, 0);
  const long = await create('too-long', 'm'.repeat(129));
  assert.match(
    long.stderr,
    'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
  );
  // 64 two-byte characters are 128 bytes: the limit counts bytes, not characters.
  assert.match((await create('too-long-utf8', 'é'.repeat(65))).stderr, 'Too long');
  const tab = await create('tab', 'a\tb');
  assert.match(tab.stderr, 'fieldManager: Invalid value: "a\\tb": invalid character U+0009 (at position 1)');
});

test('a restore fits a long or unprintable --author into the field manager the server accepts', async () => {
  const revision = await cluster.snapshot();
  await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=9');
  const name = `Ä\tÖ${'Ä'.repeat(100)}`;
  const restore = await cluster.kubesnap([
    'restore',
    revision!,
    'deploy/web',
    '-n',
    'shop',
    '--yes',
    '--author',
    `${name} <long@example.com>`,
  ]);
  assert.is(restore.code, 0, restore.stdout + restore.stderr);
  const managers = (cluster.sim.get('apps', 'deployments', 'shop', 'web')?.metadata.managedFields ?? []).map(
    (entry) => entry.manager,
  );
  const restoreManager = managers.find((manager) => manager.startsWith('kubesnap-restore ('));
  assert.ok(restoreManager, managers.join(', '));
  assert.ok(Buffer.byteLength(restoreManager) <= 128, restoreManager);
  assert.match(restoreManager, /^kubesnap-restore \(Ä\?ÖÄ+…\)$/);
});

test('a restore whose note cannot be written still succeeds, with a warning', async () => {
  // The cluster as the last snapshot has it (the earlier test restored it so).
  const revision = (await git(cluster.repo, 'rev-parse', 'HEAD')).trim();
  await cluster.kubectl('-n', 'shop', 'scale', 'deployment/web', '--replicas=8');
  // A folder where the notes ref would be (the earlier test's restore made the ref): git could not write it either.
  const notesRef = join(cluster.repo, 'refs', 'notes', 'kubesnap-restores');
  rmSync(notesRef, { force: true });
  mkdirSync(join(notesRef, 'in-the-way'), { recursive: true });
  const restore = await cluster.kubesnap(['restore', revision, 'deploy/web', '-n', 'shop', '--yes']);
  assert.is(restore.code, 0, restore.stdout + restore.stderr);
  assert.match(restore.stdout, /restore: created 0, updated 1, /);
  assert.match(restore.stderr, `warning: the restore was not noted on ${revision.slice(0, 7)}: `);
  assert.is((cluster.sim.get('apps', 'deployments', 'shop', 'web')?.spec as { replicas: number }).replicas, 2);
});

test.run();
