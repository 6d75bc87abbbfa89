// Figure 6: the end-to-end job a user would otherwise script, against the same simulator and object count:
//   for each kind: kubectl get KIND -A -o yaml; split the lists into one file per object; git add -A && git commit
// against `kubesnap snapshot` (the real bin, a new process per run, into a new repository).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlResources } from './cluster-objects.ts';
import { kubesnapSnapshot, median, runsOf, seconds, timedProcess, times, type Row } from './measure.ts';
import { startSimServer } from './sim-server.ts';

const split = new URL('./kubectl-split.mjs', import.meta.url).pathname;

function baselineScript(kubeconfig: string): string {
  const gets = kubectlResources
    .map((r) => `kubectl --kubeconfig '${kubeconfig}' get ${r} -A -o yaml > ../lists/${r}.yaml`)
    .join('\n');
  return [
    'set -e',
    'mkdir -p ../lists',
    gets,
    `node '${split}' ../lists/*.yaml`,
    'git init -q -b main .',
    'git add -A',
    'git -c user.name=bench -c user.email=bench@kubesnap.invalid commit -q -m snapshot',
  ].join('\n');
}

export async function kubectlBenchmark(objectCount: number, runs: number): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'kubesnap-bench-kubectl-'));
  const sim = await startSimServer(objectCount);
  try {
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let run = 0; run < runs; run++) {
      const repo = join(root, `kubesnap-${run}`);
      ours.push((await kubesnapSnapshot(sim.kubeconfigPath, repo)).wallMs);
      const work = join(root, `script-${run}`, 'repo');
      mkdirSync(work, { recursive: true });
      theirs.push((await timedProcess(['bash', '-c', baselineScript(sim.kubeconfigPath)], { cwd: work })).wallMs);
      rmSync(join(root, `script-${run}`), { recursive: true, force: true });
      rmSync(repo, { recursive: true, force: true });
    }
    const value = median(ours);
    const baseline = median(theirs);
    return [
      {
        figure: `6. end to end vs kubectl + split + git, ${objectCount.toLocaleString('en')} objects`,
        target: '≥ 10× faster',
        value: seconds(value),
        baseline: `${seconds(baseline)} (kubectl get -A -o yaml ×${kubectlResources.length}, split, git add -A && git commit)`,
        ratio: `${times(baseline / value)} faster`,
        met: baseline / value >= 10,
        notes: [
          `kubesnap snapshot (bin/kubesnap.js, node startup included): ${runsOf(ours, seconds)}`,
          `script: ${runsOf(theirs, seconds)}; its split is a js-yaml one-liner (test/bench/kubectl-split.mjs) and it commits the raw objects (status, managedFields and all), so it does less than kubesnap`,
        ],
      },
    ];
  } finally {
    await sim.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
