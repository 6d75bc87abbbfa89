// Figures 1, 2 and 4 on one repository of the synthetic cluster:
// 1. the initial snapshot (a separate `node` process per run, so its peak RSS is its own) against git fast-import
//    writing the very same files into an empty repository, runs interleaved so both see the same neighbours;
// 2. 100 changed objects through HistoryWriter (normalise, serialise, field summaries, commit) on top of it,
//    against fast-import committing the same 100 files on top of its copy;
// 3. diffRevisions + renderText of that commit, against `git diff` of it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffRevisions, renderText } from '../../lib/diff/index.ts';
import { HistoryWriter } from '../../lib/history/index.ts';
import type { KubeObject } from '../../lib/normalize/index.ts';
import { changedPaths, SnapshotRepository } from '../../lib/store/index.ts';
import { clusterObject, resourceOf, spreadIndexes } from './cluster-objects.ts';
import { fastImportInitial, fastImportOnTop, treeOf } from './git-baseline.ts';
import {
  kubesnapSnapshot,
  median,
  millis,
  runsOf,
  seconds,
  timed,
  timedProcess,
  times,
  type Row,
  type Timing,
} from './measure.ts';
import { describePipelineStages, measurePipelineStages } from './pipeline-stages.ts';
import { profilerFlags, startSimServer } from './sim-server.ts';

const author = { name: 'bench', email: 'bench@kubesnap.invalid' };

interface SnapshotRun extends Timing {
  objects: number;
}

async function snapshotRun(kubeconfig: string, dir: string): Promise<SnapshotRun> {
  const run = await kubesnapSnapshot(kubeconfig, dir, profilerFlags('snapshot'));
  const objects = /\((\d+) objects/.exec(run.stdout);
  if (!objects) throw new Error(`kubesnap snapshot said: ${run.stdout.slice(0, 300)}`);
  return { ...run, objects: Number(objects[1]) };
}

async function committedFiles(repository: SnapshotRepository): Promise<Array<[string, Buffer]>> {
  const files: Array<[string, Buffer]> = [];
  for (const [path, id] of await repository.readFiles()) files.push([path, await repository.readBlob(id)]);
  return files;
}

export async function snapshotBenchmarks(objectCount: number, runs: number): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'kubesnap-bench-snapshot-'));
  try {
    const sim = await startSimServer(objectCount);
    const ours: SnapshotRun[] = [];
    const git: Timing[] = [];
    let files: Array<[string, Buffer]> = [];
    let sameTree = true;
    const kept = join(root, 'kubesnap');
    try {
      for (let run = 0; run < runs; run++) {
        const dir = run === 0 ? kept : join(root, `kubesnap-${run}`);
        ours.push(await snapshotRun(sim.kubeconfigPath, dir));
        if (run === 0) {
          const repository = await SnapshotRepository.open(kept, { create: false });
          files = await committedFiles(repository);
          await repository.close();
        } else rmSync(dir, { recursive: true, force: true });
        const gitdir = join(root, `fast-import-${run}.git`);
        git.push(await fastImportInitial(gitdir, files));
        sameTree &&= treeOf(gitdir) === treeOf(kept);
        if (run > 0) rmSync(gitdir, { recursive: true, force: true });
      }
    } finally {
      await sim.stop();
    }
    const stages = await measurePipelineStages({ objects: Math.min(objectCount, 10_000) });
    const wall = median(ours.map((r) => r.wallMs));
    const gitWall = median(git.map((r) => r.wallMs));
    const rss = median(ours.map((r) => r.maxRssMb!));
    const rows: Row[] = [
      {
        figure: `1. initial snapshot, ${ours[0].objects.toLocaleString('en')} objects over HTTP → commit`,
        target: '≤ 1.5× git fast-import',
        value: seconds(wall),
        baseline: `${seconds(gitWall)} (fast-import)`,
        ratio: times(wall / gitWall),
        met: wall / gitWall <= 1.5,
        notes: [
          `\`kubesnap snapshot\` runs (bin/kubesnap.js, a new process into a new repository each time, startup included): ${runsOf(
            ours.map((r) => r.wallMs),
            seconds,
          )}`,
          `kubesnap CPU (all its threads): ${runsOf(
            ours.map((r) => r.cpuMs),
            seconds,
          )} (the simulator serving the lists runs in another process, not counted)`,
          `git fast-import runs: ${runsOf(
            git.map((r) => r.wallMs),
            seconds,
          )}; CPU: ${runsOf(
            git.map((r) => r.cpuMs),
            seconds,
          )}; peak RSS ${median(git.map((r) => r.maxRssMb!)).toFixed(0)} MB`,
          `CPU ratio kubesnap / fast-import: ${times(median(ours.map((r) => r.cpuMs)) / median(git.map((r) => r.cpuMs)))}; same tree id as fast-import: ${sameTree}`,
          `where the CPU goes: ${describePipelineStages(stages)}`,
        ],
      },
      {
        figure: '1. peak RSS of that snapshot process',
        target: '< 1024 MB',
        value: `${rss.toFixed(0)} MB`,
        baseline: `${median(git.map((r) => r.maxRssMb!)).toFixed(0)} MB (fast-import)`,
        ratio: '',
        met: rss < 1024,
        notes: [
          `runs: ${runsOf(
            ours.map((r) => r.maxRssMb!),
            (mb) => `${mb.toFixed(0)} MB`,
          )} (peak RSS of the kubesnap process, worker threads included, from /usr/bin/time)`,
        ],
      },
    ];
    rows.push(await incrementalBenchmark(kept, join(root, 'fast-import-0.git'), objectCount));
    rows.push(await diffBenchmark(kept));
    return rows;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** 100 objects spread over every namespace and kind, changed `rounds` times through a HistoryWriter. */
async function incrementalBenchmark(dir: string, gitdir: string, objectCount: number, rounds = 5): Promise<Row> {
  const repository = await SnapshotRepository.open(dir, { create: false });
  const writer = new HistoryWriter({
    repository,
    author,
    cluster: { server: 'https://127.0.0.1', context: 'bench' },
    batchMs: 3_600_000,
    batchMax: 1_000_000,
  });
  const started = await timed(() => writer.start());
  const ours: number[] = [];
  const git: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const indexes = spreadIndexes(100, objectCount).map((i) => (i + round) % objectCount);
    const commit = await timed(async () => {
      for (const i of indexes) writer.upsert(resourceOf(i), clusterObject(i, round) as KubeObject);
      return writer.flush();
    });
    ours.push(commit.wallMs);
    const changed = await repository.log({ limit: 1 });
    git.push((await fastImportOnTop(gitdir, await changedFilesOf(repository, changed[0].commit))).wallMs);
  }
  await writer.stop();
  await repository.close();
  const value = median(ours);
  return {
    figure: `2. incremental commit, 100 changed objects on ${objectCount.toLocaleString('en')}`,
    target: '< 100 ms',
    value: millis(value),
    baseline: `${millis(median(git))} (fast-import, process included)`,
    ratio: times(value / median(git)),
    met: value < 100,
    notes: [
      `rounds: ${runsOf(ours, millis)} (upsert of 100 raw objects → flush() resolved: normalise, serialise, hash, field summaries for the message, blobs + trees + commit + ref)`,
      `loading the committed tree once at start (HistoryWriter.start, ${objectCount.toLocaleString('en')} paths): ${millis(started.wallMs)}`,
      `fast-import of the same files on top: ${runsOf(git, millis)}`,
    ],
  };
}

async function changedFilesOf(repository: SnapshotRepository, commit: string): Promise<Array<[string, Buffer]>> {
  const [parent] = await repository.parentsOf(commit);
  const files: Array<[string, Buffer]> = [];
  for (const change of await changedPaths(repository, parent, commit))
    if (change.after) files.push([change.path, await repository.readBlob(change.after)]);
  return files;
}

/** HEAD~1 → HEAD (the last 100 changes) as a fresh process would: a newly opened repository each run. */
async function diffBenchmark(dir: string, runs = 5): Promise<Row> {
  const ours: number[] = [];
  const git: number[] = [];
  let bytes = 0;
  for (let run = 0; run < runs; run++) {
    const repository = await SnapshotRepository.open(dir, { create: false });
    const result = await timed(async () => renderText(await diffRevisions({ repository, from: 'HEAD~1', to: 'HEAD' })));
    await repository.close();
    ours.push(result.wallMs);
    bytes = result.result.length;
    git.push((await timedProcess(['git', '--git-dir', repository.gitdir, 'diff', 'HEAD~1', 'HEAD'])).wallMs);
  }
  const value = median(ours);
  return {
    figure: '4. diff of two revisions (100 changed objects) incl. text',
    target: '< 300 ms',
    value: millis(value),
    baseline: `${millis(median(git))} (git diff)`,
    ratio: times(value / median(git)),
    met: value < 300,
    notes: [
      `runs: ${runsOf(ours, millis)}; git diff: ${runsOf(git, millis)}; ${bytes.toLocaleString('en')} characters of text (in-process, freshly opened repository; the CLI adds node startup)`,
    ],
  };
}
