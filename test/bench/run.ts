// npm run bench: the benchmark suite of issue 8 (not part of npm test). BENCH_QUICK=1 runs small scales and short
// durations for development; BENCH_CPU_PROF=DIR writes V8 CPU profiles of the measured child processes there.
// BENCH_ONLY=snapshot,watch,restore,kubectl,memory,serve,drill runs some sections only (RESULTS.md is written by full runs only).
import { loadavg } from 'node:os';
import { describeMachine, formatLoad } from './machine.ts';
import { quick, type Row } from './measure.ts';
import { printNotes, printTable, writeResults } from './results.ts';
import { kubectlBenchmark } from './kubectl-bench.ts';
import { watchMemoryBenchmark } from './memory-bench.ts';
import { drillBenchmark } from './drill-bench.ts';
import { restoreBenchmark } from './restore-bench.ts';
import { serveBenchmark } from './serve-bench.ts';
import { snapshotBenchmarks } from './snapshot-bench.ts';
import { watchBenchmark } from './watch-bench.ts';

const scale = quick
  ? {
      snapshotObjects: 10_000,
      snapshotRuns: 1,
      watchObjects: 5_000,
      watchSeconds: 10,
      restoreObjects: 2_000,
      kubectlObjects: 2_000,
      serveObjects: 10_000,
      serveCommits: 1_000,
      drillObjects: 2_000,
      memoryObjects: [5_000],
      memorySeconds: 30,
    }
  : {
      snapshotObjects: 100_000,
      snapshotRuns: 3,
      watchObjects: 10_000,
      watchSeconds: 60,
      restoreObjects: 10_000,
      kubectlObjects: 10_000,
      serveObjects: 100_000,
      serveCommits: 10_000,
      drillObjects: 10_000,
      memoryObjects: [10_000, 100_000],
      memorySeconds: 300,
    };
const only = process.env.BENCH_ONLY?.split(',');
const wanted = (section: string) => !only || only.includes(section);

const machine = describeMachine();
const startedAt = new Date();
console.log(
  `kubesnap bench${quick ? ' (BENCH_QUICK)' : ''}: ${machine.cores} cores, ${machine.memoryGb.toFixed(1)} GB, node ${machine.node}, load ${formatLoad(machine.loadAverage)}`,
);
const rows: Row[] = [];
const section = async (name: string, run: () => Promise<Row[]>) => {
  if (!wanted(name)) return;
  const started = performance.now();
  console.log(`… ${name}`);
  // A section that fails is a row saying so; the other sections still run and are written.
  const produced = await run().catch((error): Row[] => [
    {
      figure: name,
      target: '',
      value: 'FAILED',
      baseline: '',
      ratio: '',
      met: false,
      notes: [
        String(error?.stack ?? error)
          .split('\n')
          .slice(0, 3)
          .join(' '),
      ],
    },
  ]);
  rows.push(...produced);
  printTable(produced);
  printNotes(produced);
  console.log(`  (${((performance.now() - started) / 1000).toFixed(0)} s)`);
};

await section('snapshot', () => snapshotBenchmarks(scale.snapshotObjects, scale.snapshotRuns));
await section('watch', () => watchBenchmark(scale.watchObjects, scale.watchSeconds));
await section('restore', () => restoreBenchmark(scale.restoreObjects, scale.snapshotRuns));
await section('kubectl', () => kubectlBenchmark(scale.kubectlObjects, scale.snapshotRuns));
for (const objects of scale.memoryObjects)
  await section('memory', () => watchMemoryBenchmark(objects, scale.memorySeconds));
await section('serve', () => serveBenchmark(scale.serveObjects, scale.serveCommits));
await section('drill', () => drillBenchmark(scale.drillObjects, scale.snapshotRuns));

console.log('');
printTable(rows);
if (!quick && !only) {
  writeResults(rows, machine, {
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    loadAtEnd: loadavg(),
    scale: `Scale: ${scale.snapshotObjects.toLocaleString('en')} objects for figures 1, 2, 4; ${scale.watchObjects.toLocaleString('en')} for 3; ${scale.restoreObjects.toLocaleString('en')} for 5; ${scale.kubectlObjects.toLocaleString('en')} for 6; ${scale.memoryObjects.map((n) => n.toLocaleString('en')).join(' and ')} for 7, ${scale.memorySeconds / 60} minutes of churn each.`,
  });
  console.log('written to test/bench/RESULTS.md');
}
