// A full disk, for real: the repository lives on a tmpfs of 1 MB, the real CLI snapshots a cluster that does not
// fit, and the tmpfs is then made bigger by what the message says is needed.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as assert from 'uvu/assert';
import type { KubeObject, Simulator } from '../../lib/sim/index.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { git, temporaryDirectory } from '../helpers/processes.ts';
import { simulatorSuite, type SimulatorContext } from '../helpers/simulator-suite.ts';

const SIZE_MB = 1;

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = temporaryDirectory('kubesnap-mount-probe-');
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe.path]).status !== 0) return false;
    spawnSync('umount', [probe.path]);
    return true;
  } finally {
    probe.remove();
  }
}

/** ConfigMaps of random hex (it deflates to about half), `count` × ~1.6 KB in the repository. */
function configMaps(namespace: string, count: number): KubeObject[] {
  const objects: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }];
  for (let i = 0; i < count; i++)
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, namespace },
      data: { blob: randomBytes(1500).toString('hex') },
    });
  return objects;
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** What a write may leave: kubesnap's and git's temp files, a pack without its index, lock files and drafts. */
function debris(repo: string): string[] {
  const files = filesUnder(repo);
  return files.filter(
    (file) =>
      /(^|\/)tmp_|kubesnap\.lock/.test(file) ||
      (file.endsWith('.pack') && !files.includes(file.replace(/\.pack$/, '.idx'))),
  );
}

/** The branch's commit and every file of the repository: what a failed write must leave as it was. */
async function stateOf(repo: string): Promise<{ head: string; files: string[] }> {
  return { head: (await git(repo, 'rev-parse', 'HEAD')).trim(), files: filesUnder(repo) };
}

function assertDiskFullSentence(result: CliResult, repo: string): number {
  assert.is(result.code, 1, result.stderr);
  const message = result.stderr.trim();
  assert.is(message.split('\n').length, 1, message);
  const match = new RegExp(`^error: the disk holding ${repo} is full: kubesnap needs about (\\d+) MB more\\.$`).exec(
    message,
  );
  assert.ok(match, message);
  return Number(match![1]);
}

const snapshot = (sim: Simulator, repo: string, ...args: string[]): Promise<CliResult> =>
  runCli(['--kubeconfig', sim.kubeconfigPath, '--repo', repo, 'snapshot', ...args]);

/** Once there is room again, the same snapshot works and leaves a sound repository. */
async function assertSnapshotWorks(sim: Simulator, repo: string, ...args: string[]): Promise<void> {
  const next = await snapshot(sim, repo, ...args);
  assert.is(next.code, 0, next.stderr);
  await git(repo, 'fsck', '--full', '--strict');
}

const PAGE = 4096;

/** A file that leaves `freeBytes` free on the file system of `dir`. */
function fillUpTo(dir: string, freeBytes: number): string {
  const path = join(dir, 'filler');
  rmSync(path, { force: true });
  const { bavail, bsize } = statfsSync(dir);
  writeFileSync(path, Buffer.alloc(Math.max(0, bavail * bsize - freeBytes)));
  return path;
}

function remount(mount: string, sizeMb: number): void {
  execFileSync('mount', ['-o', `remount,size=${sizeMb}m`, mount]);
}

type DiskFullContext = SimulatorContext & { mount: string; mounted: boolean };

const diskFull = simulatorSuite<{ mount: string; mounted: boolean }>('a full disk under the repository', {
  seeded: false,
});

diskFull.before((context) => {
  context.mount = join(context.tmp.path, 'disk');
  mkdirSync(context.mount);
  context.mounted = canMount();
  if (context.mounted) execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${SIZE_MB}m`, 'tmpfs', context.mount]);
});

diskFull.after((context) => {
  if (context.mounted) spawnSync('umount', ['-l', context.mount]);
});

/** A test of the suite that needs the tmpfs, skipped (said so) where it cannot be mounted. */
function diskFullTest(name: string, body: (context: DiskFullContext) => Promise<void>): void {
  diskFull(name, async (context) => {
    if (!context.mounted) return console.log('skipped: needs root and mount -t tmpfs for a real full disk');
    await body(context);
  });
}

diskFullTest(
  'a first snapshot that does not fit: one sentence, exit 1, nothing left; with the space it named, the next run works',
  async (context) => {
    const { sim, mount } = context;
    sim.seed(configMaps('big', 1000));
    const repo = join(mount, 'repo');

    const failed = await snapshot(sim, repo);
    const neededMb = assertDiskFullSentence(failed, repo);
    assert.not.match(failed.stderr, /unexpected failure|ENOSPC/);
    assert.equal(debris(repo), []);
    if (existsSync(repo)) {
      // A valid empty repository: the branch unborn, git content with it.
      assert.equal(filesUnder(repo), ['HEAD', 'config', 'description']);
      await git(repo, 'fsck', '--full');
    }

    remount(mount, SIZE_MB + neededMb);
    await assertSnapshotWorks(sim, repo);
    assert.is(
      (await git(repo, 'ls-tree', '-r', '--name-only', 'HEAD', 'big/configmaps')).trim().split('\n').length,
      1000,
    );
    assert.equal(debris(repo), []);
  },
);

diskFullTest(
  'a snapshot on top of history that does not fit: the branch stays where it was, nothing is left',
  async (context) => {
    const { sim, mount } = context;
    const repo = join(mount, 'repo');
    const before = await stateOf(repo);
    sim.seed(configMaps('more', 1000));
    const failed = await snapshot(sim, repo);
    const neededMb = assertDiskFullSentence(failed, repo);
    assert.equal(debris(repo), []);
    assert.equal(await stateOf(repo), before);
    await git(repo, 'fsck', '--full', '--strict');

    const { blocks, bsize } = statfsSync(mount);
    remount(mount, Math.ceil((blocks * bsize) / (1 << 20)) + neededMb);
    await assertSnapshotWorks(sim, repo);
    assert.is((await git(repo, 'rev-parse', 'HEAD~1')).trim(), before.head);
  },
);

diskFullTest(
  'a full disk at the lock, then a small commit whose loose objects do not fit: no empty lock draft or temp object is left, the branch stays',
  async (context) => {
    const { sim, mount } = context;
    const repo = join(mount, 'repo');
    const before = await stateOf(repo);
    sim.seed(configMaps('small', 1));
    // Not a page left: the lock's file does not fit.
    fillUpTo(mount, 0);
    assertDiskFullSentence(await snapshot(sim, repo), repo);
    assert.equal(await stateOf(repo), before);
    // One page left: the lock's file fits, the commit's first object does not.
    const filler = fillUpTo(mount, PAGE);
    assertDiskFullSentence(await snapshot(sim, repo), repo);
    assert.equal(await stateOf(repo), before);
    rmSync(filler);
    await assertSnapshotWorks(sim, repo);
  },
);

diskFullTest(
  "a first run whose pack fits but not its index: neither is left, nor the index's temp file",
  async (context) => {
    const { sim, mount, tmp } = context;
    const namespace = ['-n', 'big'];
    const scratch = join(tmp.path, 'scratch');
    assert.is((await snapshot(sim, scratch, ...namespace)).code, 0);
    const packs = join(scratch, 'objects', 'pack');
    const [pack] = readdirSync(packs).filter((name) => name.endsWith('.pack'));
    const pages = (bytes: number) => Math.ceil(bytes / PAGE);
    const packPages = pages(statSync(join(packs, pack)).size);
    const indexPages = pages(statSync(join(packs, pack.replace(/\.pack$/, '.idx'))).size);
    assert.ok(indexPages >= 4, `an index of ${indexPages} pages`);

    const repo = join(mount, 'pack-without-index');
    remount(mount, Math.ceil((statfsSync(mount).blocks * PAGE) / (1 << 20)) + 4);
    // config, description, HEAD and the lock: a page each; then the pack, and half its index.
    const filler = fillUpTo(mount, (4 + packPages + Math.floor(indexPages / 2)) * PAGE);
    const failed = await snapshot(sim, repo, ...namespace);
    assertDiskFullSentence(failed, repo);
    assert.equal(debris(repo), []);
    // The first run that failed takes the repository it created away again (discardIfUnused): the folder is as it was.
    assert.not.ok(existsSync(repo));
    rmSync(filler);
    await assertSnapshotWorks(sim, repo, ...namespace);
  },
);

diskFullTest(
  'a disk full before the first run starts: one sentence, no folder left; once space is freed the run works',
  async (context) => {
    const { sim, mount } = context;
    const repo = join(mount, 'fresh');
    const filler = fillUpTo(mount, 0);
    const failed = await snapshot(sim, repo, '-n', 'default');
    assertDiskFullSentence(failed, repo);
    assert.not.ok(existsSync(repo));
    rmSync(filler);
    await assertSnapshotWorks(sim, repo, '-n', 'default');
  },
);

diskFull.run();
