// Rough measurement of lib/store against `git fast-import` (not part of npm test):
//   node --import tsx test/bench/store.ts [fileCount]
// 1. fileCount (default 100,000) files of ~1 KB in one commit, kubesnap vs fast-import into empty bare repos.
// 2. 100 changed files on top of that tree, with the in-process tree cache and with a freshly opened repository.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotRepository, type FileChange } from '../../lib/store/index.ts';

const fileCount = Number(process.argv[2] ?? 100_000);
const author = { name: 'bench', email: 'bench@example.com', timestamp: 1_800_000_000 };

function manifest(i: number, revision: number): Buffer {
  const lines = [`apiVersion: v1`, `kind: ConfigMap`, `metadata:`, `  name: config-${i}`, `  namespace: ns-${i % 100}`, `data:`];
  for (let line = 0; lines.join('\n').length < 1000; line++) lines.push(`  key-${line}: value-${i}-${line}-${revision}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

function files(revision: number, count: number, step = 1): FileChange[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k * step;
    return { path: `ns-${i % 100}/configmaps/config-${i}.yaml`, content: manifest(i, revision) };
  });
}

function fastImportStream(changes: FileChange[]): Buffer[] {
  const chunks: Buffer[] = [];
  changes.forEach((change, i) => {
    const content = change.content as Buffer;
    chunks.push(Buffer.from(`blob\nmark :${i + 1}\ndata ${content.length}\n`), content, Buffer.from('\n'));
  });
  const message = 'snapshot\n';
  const lines = [`commit refs/heads/main`, `committer bench <bench@example.com> ${author.timestamp} +0000`, `data ${message.length}`, message];
  changes.forEach((change, i) => lines.push(`M 100644 :${i + 1} ${change.path}`));
  chunks.push(Buffer.from(`${lines.join('\n')}\n\n`));
  return chunks;
}

async function fastImport(dir: string, chunks: Buffer[]): Promise<number> {
  spawnSync('git', ['init', '-q', '--bare', '-b', 'main', dir]);
  const started = performance.now();
  const child = spawn('git', ['fast-import', '--quiet'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stdin.end(Buffer.concat(chunks));
  const code = await exited;
  if (code !== 0) throw new Error(`git fast-import exited ${code}`);
  return performance.now() - started;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

const root = mkdtempSync(join(tmpdir(), 'kubesnap-bench-store-'));
try {
  const changes = files(0, fileCount);
  const fastImportMs = await fastImport(join(root, 'fast-import.git'), fastImportStream(changes));

  const repo = await SnapshotRepository.open(join(root, 'kubesnap.git'));
  let started = performance.now();
  const first = await repo.commitChanges(changes, { message: 'snapshot', author });
  const kubesnapMs = performance.now() - started;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;

  const same = spawnSync('git', ['--git-dir', join(root, 'fast-import.git'), 'rev-parse', 'main^{tree}'], { encoding: 'utf8' }).stdout.trim();
  console.log(`${fileCount} files of ~1 KB in one commit`);
  console.log(`  git fast-import: ${seconds(fastImportMs)}`);
  console.log(`  kubesnap:        ${seconds(kubesnapMs)} (${(kubesnapMs / fastImportMs).toFixed(2)}x fast-import; process peak RSS ${maxRssMb.toFixed(0)} MB incl. the generated input)`);
  console.log(`  same tree as fast-import: ${same === first?.tree}`);

  const step = Math.max(1, Math.floor(fileCount / 100));
  started = performance.now();
  const warm = await repo.commitChanges(files(1, 100, step), { message: '100 changes', author });
  const warmMs = performance.now() - started;

  const fresh = await SnapshotRepository.open(join(root, 'kubesnap.git'));
  started = performance.now();
  await fresh.commitChanges(files(2, 100, step), { message: '100 more changes', author });
  const coldMs = performance.now() - started;
  console.log(`100 changed files on top`);
  console.log(`  with the tree cache of this process: ${warmMs.toFixed(1)} ms (${warm?.changed} files)`);
  console.log(`  freshly opened repository:           ${coldMs.toFixed(1)} ms`);

  started = performance.now();
  const fsck = spawnSync('git', ['--git-dir', join(root, 'kubesnap.git'), 'fsck', '--strict'], { encoding: 'utf8' });
  console.log(`git fsck --strict: ${fsck.status === 0 ? 'clean' : `FAILED\n${fsck.stderr}`} (${seconds(performance.now() - started)})`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
