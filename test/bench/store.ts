// Rough measurement of lib/store against `git fast-import` (not part of npm test):
//   node --import tsx test/bench/store.ts [fileCount]
// 1. fileCount (default 100,000) files of ~1 KB in one commit, kubesnap vs fast-import into empty bare repos,
//    laid out as kubesnap lays out a cluster: <namespace>/<resource>/<name>.yaml, 100 namespaces, 10 resources.
// 2. 100 changed files (spread over namespaces and resources) on top of that tree, with the tree cache of this
//    process and with a freshly opened repository.
// Wall time and CPU time (user + system) are both printed: on a shared machine wall time mostly measures the neighbours.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotRepository, type FileChange } from '../../lib/store/index.ts';

const fileCount = Number(process.argv[2] ?? 100_000);
const author = { name: 'bench', email: 'bench@example.com', timestamp: 1_800_000_000 };
const resources = ['configmaps', 'secrets', 'services', 'serviceaccounts', 'deployments.apps', 'statefulsets.apps', 'roles.rbac.authorization.k8s.io', 'rolebindings.rbac.authorization.k8s.io', 'ingresses.networking.k8s.io', 'cronjobs.batch'];

function pathOf(i: number): string {
  return `ns-${i % 100}/${resources[Math.floor(i / 100) % resources.length]}/object-${i}.yaml`;
}

function manifest(i: number, revision: number): Buffer {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: object-${i}`, `  namespace: ns-${i % 100}`, 'data:'];
  for (let line = 0; lines.join('\n').length < 1000; line++) lines.push(`  key-${line}: value-${i}-${line}-${revision}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

function fastImportStream(changes: FileChange[]): Buffer {
  const chunks: Buffer[] = [];
  changes.forEach((change, i) => {
    const content = change.content as Buffer;
    chunks.push(Buffer.from(`blob\nmark :${i + 1}\ndata ${content.length}\n`), content, Buffer.from('\n'));
  });
  const message = 'snapshot\n';
  const lines = ['commit refs/heads/main', `committer bench <bench@example.com> ${author.timestamp} +0000`, `data ${message.length}`, message];
  changes.forEach((change, i) => lines.push(`M 100644 :${i + 1} ${change.path}`));
  chunks.push(Buffer.from(`${lines.join('\n')}\n\n`));
  return Buffer.concat(chunks);
}

interface Timing {
  wallMs: number;
  cpuMs: number;
  maxRssMb?: number;
}

/**
 * fast-import under /usr/bin/time when there is one, for its CPU time and peak RSS. It reads its stream from a
 * file, its best case (fed through a Node pipe it ran several times slower here).
 */
async function fastImport(dir: string, stream: Buffer): Promise<Timing> {
  spawnSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  const streamFile = join(dir, 'stream.fi');
  writeFileSync(streamFile, stream);
  const input = openSync(streamFile, 'r');
  const timeFile = join(dir, 'time.out');
  const timed = existsSync('/usr/bin/time');
  // --git-dir rather than running inside the repository: found from its working directory instead, fast-import
  // spent 7x longer here (mostly system time).
  const git = ['git', '--git-dir', dir, 'fast-import', '--quiet'];
  const command = timed ? ['/usr/bin/time', '-o', timeFile, '-f', '%U %S %M', ...git] : git;
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), { stdio: [input, 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  closeSync(input);
  rmSync(streamFile);
  if (code !== 0) throw new Error('git fast-import failed');
  if (!timed) return { wallMs, cpuMs: NaN };
  const [user, system, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { wallMs, cpuMs: (user + system) * 1000, maxRssMb: rssKb / 1024 };
}

async function measure(action: () => Promise<unknown>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await action();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

const format = (t: Timing) => `${(t.wallMs / 1000).toFixed(2)} s wall, ${(t.cpuMs / 1000).toFixed(2)} s CPU`;
const formatMs = (t: Timing) => `${t.wallMs.toFixed(1)} ms wall, ${t.cpuMs.toFixed(1)} ms CPU`;

const root = mkdtempSync(join(tmpdir(), 'kubesnap-bench-store-'));
try {
  const changes = Array.from({ length: fileCount }, (_, i) => ({ path: pathOf(i), content: manifest(i, 0) }));
  const fast = await fastImport(join(root, 'fast-import.git'), fastImportStream(changes));

  const repo = await SnapshotRepository.open(join(root, 'kubesnap.git'));
  let tree: string | undefined;
  const rssBefore = process.memoryUsage().rss / 2 ** 20;
  const ours = await measure(async () => (tree = (await repo.commitChanges(changes, { message: 'snapshot', author }))?.tree));
  const maxRssMb = process.resourceUsage().maxRSS / 1024;

  const fastTree = spawnSync('git', ['--git-dir', join(root, 'fast-import.git'), 'rev-parse', 'main^{tree}'], { encoding: 'utf8' }).stdout.trim();
  console.log(`${fileCount} files of ~1 KB in one commit (${new Set(changes.map((c) => c.path.split('/').slice(0, 2).join('/'))).size} folders)`);
  console.log(`  git fast-import: ${format(fast)}${fast.maxRssMb ? `, peak RSS ${fast.maxRssMb.toFixed(0)} MB` : ''}`);
  console.log(`  kubesnap:        ${format(ours)}, peak RSS ${maxRssMb.toFixed(0)} MB (${rssBefore.toFixed(0)} MB before the commit, holding the input)`);
  console.log(`  kubesnap / fast-import: ${(ours.wallMs / fast.wallMs).toFixed(2)}x wall, ${(ours.cpuMs / fast.cpuMs).toFixed(2)}x CPU; same tree id: ${tree === fastTree}`);

  // 100 files spread over the tree: a deterministic scatter, one object in each of 100 different folders.
  const changed = Array.from({ length: 100 }, (_, k) => (k * 7919) % fileCount);
  const round = (revision: number) => changed.map((i) => ({ path: pathOf(i), content: manifest(i, revision) }));
  const warm = await measure(() => repo.commitChanges(round(1), { message: '100 changes', author }));
  const fresh = await SnapshotRepository.open(join(root, 'kubesnap.git'));
  const cold = await measure(() => fresh.commitChanges(round(2), { message: '100 more changes', author }));
  const warmAgain = await measure(() => fresh.commitChanges(round(3), { message: '100 more changes', author }));
  console.log(`100 changed files on top (${new Set(changed.map((i) => pathOf(i).split('/').slice(0, 2).join('/'))).size} folders)`);
  console.log(`  with the tree cache of this process: ${formatMs(warm)}; again: ${formatMs(warmAgain)}`);
  console.log(`  freshly opened repository:           ${formatMs(cold)}`);

  const fsckStarted = performance.now();
  const fsck = spawnSync('git', ['--git-dir', join(root, 'kubesnap.git'), 'fsck', '--strict'], { encoding: 'utf8' });
  console.log(`git fsck --strict: ${fsck.status === 0 ? 'clean' : `FAILED\n${fsck.stderr}`} (${((performance.now() - fsckStarted) / 1000).toFixed(2)} s)`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
