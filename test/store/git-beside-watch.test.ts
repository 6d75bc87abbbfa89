// git's own maintenance commands, run by a user on the repository of a live `kubesnap watch` (the real CLI against
// lib/sim) while changes stream in: afterwards git fsck --full is clean and HEAD holds every object's final state.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Simulator } from '../../lib/sim/index.ts';
import { hashObject, SnapshotRepository } from '../../lib/store/index.ts';
import { eventually, freshSnapshotFiles, objectFiles, startSeededSimulator } from '../helpers/cluster.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { git, run, temporaryDirectory } from '../helpers/processes.ts';

const bin = fileURLToPath(new URL('../../bin/kubesnap.js', import.meta.url));

interface RunningWatch {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startWatch(sim: Simulator, repo: string, ...args: string[]): RunningWatch {
  const child = spawn(process.execPath, [bin, '--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'watch', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function stopWatch(watch: RunningWatch): Promise<void> {
  watch.child.kill('SIGTERM');
  assert.is(await watch.exited, 0, watch.output());
}

function configMap(namespace: string, name: string, value: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\ndata:\n  value: "${value}"\n`;
}

const configMaps = (namespace: string, prefix: string, count: number, value = 'v') =>
  Array.from({ length: count }, (_, i) => configMap(namespace, `${prefix}-${i}`, value)).join('---\n');

async function headHas(repo: string, path: string): Promise<boolean> {
  return (await run('git', ['-C', repo, 'cat-file', '-e', `refs/heads/main:${path}`])).code === 0;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Path → blob id of the object files, Secrets by path only: their redacted values are digests keyed per repository,
 * so they differ between the watch's repository and a fresh snapshot's.
 */
function comparable(files: Map<string, string>): Array<[string, string]> {
  return [...objectFiles(files)].map(([path, id]) => [path, path.includes('/secrets/') ? 'a Secret' : id]);
}

/** git fsck --full finds nothing missing or broken, and HEAD's files are those a fresh snapshot of the cluster writes. */
async function checkRepository(sim: Simulator, repo: string, scratch: string): Promise<void> {
  const fsck = await run('git', ['-C', repo, 'fsck', '--full', '--strict', '--no-dangling', '--no-progress']);
  assert.is(fsck.code, 0, `git fsck --full: ${fsck.stdout}${fsck.stderr}`);
  const expected = comparable(await freshSnapshotFiles(sim, scratch));
  const repository = await SnapshotRepository.open(repo, { create: false });
  assert.equal(comparable(await repository.readFiles()), expected);
  await repository.close();
}

/** The watch has committed what a fresh snapshot of the cluster would hold now. */
async function caughtUp(sim: Simulator, repo: string, scratch: string): Promise<void> {
  const expected = JSON.stringify(comparable(await freshSnapshotFiles(sim, scratch)));
  rmSync(scratch, { recursive: true, force: true });
  await eventually(
    async () => {
      const repository = await SnapshotRepository.open(repo, { create: false });
      const files = JSON.stringify(comparable(await repository.readFiles()));
      await repository.close();
      return files === expected;
    },
    20_000,
    'the watch to commit the cluster as it is',
  );
}

const beside = suite<{ sim: Simulator; tmp: { path: string; remove(): void } }>('git beside a live watch');

beside.before.each(async (context) => {
  context.sim = await startSeededSimulator({ bookmarkIntervalMs: 500 });
  // More than 100 objects: the first sync is a pack, which the watch's reader keeps open.
  context.sim.seedYaml(configMaps('bulk', 'seed', 120));
  context.tmp = temporaryDirectory();
});

beside.after.each(async (context) => {
  await context.sim?.stop();
  context.tmp?.remove();
});

beside(
  'main.lock, 150 new ConfigMaps, git repack -ad, unlock, one more: HEAD reaches every object (issue 16)',
  async ({ sim, tmp }) => {
    const repo = join(tmp.path, 'repo');
    const watch = startWatch(sim, repo, '--batch', '1s');
    try {
      await eventually(() => headHas(repo, 'bulk/configmaps/seed-0.yaml'), 20_000, 'the first sync committed');
      const lock = join(repo, 'refs', 'heads', 'main.lock');
      writeFileSync(lock, '');
      await kubectlOk(sim.kubeconfigPath, ['apply', '-f', '-'], configMaps('shop', 'burst', 150));
      await eventually(() => /main\.lock/.test(watch.output()), 20_000, 'the commit of the burst refused at the ref');
      // Drops the pack of the refused commit: no ref reaches it.
      await git(repo, 'repack', '-a', '-d', '-q');
      rmSync(lock);
      await kubectlOk(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'one-more', '--from-literal=k=v']);
      await eventually(() => headHas(repo, 'shop/configmaps/one-more.yaml'), 20_000, 'the next commit');
      await stopWatch(watch);
      await checkRepository(sim, repo, join(tmp.path, 'fresh'));
    } finally {
      watch.child.kill('SIGKILL');
    }
  },
);

/** The bytes kubesnap stores for a ConfigMap that `kubectl create configmap NAME --from-literal=k=VALUE` made in shop. */
const literalConfigMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\ndata:\n  k: ${value}\n`;

/** A value for which that ConfigMap's blob goes into one of `folders` (the loose-object fan-out folders, objects/xx). */
function valueWithBlobIn(name: string, folders: string[]): string {
  for (let value = 0; ; value++)
    if (folders.includes(hashObject('blob', Buffer.from(literalConfigMap(name, `v${value}`))).slice(0, 2)))
      return `v${value}`;
}

beside('after git gc removes the empty loose-object folders, every small commit still lands', async ({ sim, tmp }) => {
  const repo = join(tmp.path, 'repo');
  const watch = startWatch(sim, repo, '--batch', '100ms');
  try {
    await eventually(() => headHas(repo, 'bulk/configmaps/seed-0.yaml'), 20_000, 'the first sync committed');
    await kubectlOk(sim.kubeconfigPath, ['-n', 'shop', 'create', 'configmap', 'before-gc', '--from-literal=k=v']);
    await eventually(() => headHas(repo, 'shop/configmaps/before-gc.yaml'), 10_000, 'a small commit (loose objects)');
    const stored = (await git(repo, 'rev-parse', 'refs/heads/main:shop/configmaps/before-gc.yaml')).trim();
    assert.is(
      stored,
      hashObject('blob', Buffer.from(literalConfigMap('before-gc', 'v'))),
      'the blob is predicted right',
    );
    const objectsDir = join(repo, 'objects');
    const fanOutFolders = () => readdirSync(objectsDir).filter((name) => /^[0-9a-f]{2}$/.test(name));
    // Folders the watch wrote loose objects into, which git gc then removes: the next blobs go into them again.
    const written = fanOutFolders();
    await git(repo, 'gc', '-q');
    assert.equal(fanOutFolders(), [], 'git gc removed the fan-out folders it emptied');
    for (let i = 0; i < 3; i++) {
      const name = `after-gc-${i}`;
      await kubectlOk(sim.kubeconfigPath, [
        '-n',
        'shop',
        'create',
        'configmap',
        name,
        `--from-literal=k=${valueWithBlobIn(name, written)}`,
      ]);
      await eventually(() => headHas(repo, `shop/configmaps/${name}.yaml`), 10_000, `small commit ${i} after git gc`);
    }
    await stopWatch(watch);
    await checkRepository(sim, repo, join(tmp.path, 'fresh'));
  } finally {
    watch.child.kill('SIGKILL');
  }
});

/** One of git's maintenance commands as a user runs it; git may refuse while kubesnap holds the ref lock, as with any writer. */
type Maintenance = (repo: string) => Promise<unknown>;

const gitCommand =
  (...args: string[]): Maintenance =>
  (repo) =>
    run('git', ['-C', repo, ...args]);

const maintenance: Array<[string, Maintenance]> = [
  ['git gc', gitCommand('gc', '-q')],
  ['git gc --prune=now', gitCommand('gc', '-q', '--prune=now')],
  ['git repack -ad', gitCommand('repack', '-a', '-d', '-q')],
  ['git repack -Ad', gitCommand('repack', '-A', '-d', '-q')],
  ['git prune', gitCommand('prune')],
  ['git pack-refs --all', gitCommand('pack-refs', '--all')],
  ['git maintenance run --auto', gitCommand('maintenance', 'run', '--auto')],
  [
    'a refs/heads/main.lock left for a while',
    async (repo) => {
      const lock = join(repo, 'refs', 'heads', 'main.lock');
      writeFileSync(lock, '');
      await sleep(1000);
      rmSync(lock);
    },
  ],
];

beside(
  'gc, gc --prune=now, repack -ad/-Ad, prune, pack-refs, maintenance and a ref lock, in a loop, while changes stream in',
  async ({ sim, tmp }) => {
    const repo = join(tmp.path, 'repo');
    const watch = startWatch(sim, repo, '--batch', '100ms');
    let streaming = true;
    const stream = (async () => {
      for (let change = 0; streaming; change++) {
        sim.seedYaml(configMap(change % 2 ? 'shop' : 'bulk', `stream-${change % 40}`, String(change)));
        await sleep(20);
      }
    })();
    try {
      await eventually(() => headHas(repo, 'bulk/configmaps/seed-0.yaml'), 20_000, 'the first sync committed');
      for (let round = 0; round < 2; round++) {
        for (const [, command] of maintenance) {
          await command(repo);
          await sleep(100);
        }
      }
      streaming = false;
      await stream;
      assert.ok(existsSync(join(repo, 'packed-refs')), 'pack-refs ran');
      sim.seedYaml(configMap('shop', 'last', 'v'));
      await caughtUp(sim, repo, join(tmp.path, 'fresh-1'));
      await stopWatch(watch);
      await checkRepository(sim, repo, join(tmp.path, 'fresh-2'));
    } finally {
      streaming = false;
      watch.child.kill('SIGKILL');
    }
  },
);

beside.run();
