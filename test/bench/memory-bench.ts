// Figure 7: the steady RSS of `kubesnap watch` under churn, against the memory limit the Deployment ships. The
// real CLI (bin/kubesnap.js watch, the bundle the image runs) with the environment the Deployment gives it
// (its NODE_OPTIONS and MALLOC_* variables, read from templates/deploy/deployment.yaml) watches a simulator in
// its own process, which rewrites objects at 5,000 a second once the first full sync is committed. Its RSS is
// read from /proc every second, from outside, so nothing of the measurement is in it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { load } from 'js-yaml';
import { bundleBuilt, type Row } from './measure.ts';
import { startSimServer } from './sim-server.ts';

const RATE = 5_000;
const deployment = new URL('../../templates/deploy/deployment.yaml', import.meta.url).pathname;
const bin = new URL('../../bin/kubesnap.js', import.meta.url).pathname;

interface Sample {
  /** Seconds since the churn started. */
  t: number;
  rssMib: number;
}

interface ShippedContainer {
  limitMib: number;
  requestMib: number;
  /** The variables that change how node and malloc use memory (NODE_OPTIONS, MALLOC_*). */
  env: Record<string, string>;
}

const mebibytes = (quantity: string): number => {
  const match = /^(\d+(?:\.\d+)?)(Mi|Gi|M|G)?$/.exec(quantity);
  if (!match) throw new Error(`memory quantity ${quantity} is not one the bench reads`);
  const factor = { Mi: 1, Gi: 1024, M: 1e6 / 2 ** 20, G: 1e9 / 2 ** 20 }[match[2] ?? 'Mi']!;
  return Number(match[1]) * factor;
};

/** The kubesnap container of the shipped Deployment: its memory request and limit and its memory environment. */
export function shippedContainer(): ShippedContainer {
  const manifest = load(readFileSync(deployment, 'utf8')) as any;
  const container = manifest.spec.template.spec.containers.find((c: any) => c.name === 'kubesnap');
  const env = Object.fromEntries(
    (container.env ?? [])
      .filter((variable: any) => typeof variable.value === 'string' && /^(NODE_OPTIONS|MALLOC_)/.test(variable.name))
      .map((variable: any) => [variable.name, variable.value]),
  );
  return {
    limitMib: mebibytes(container.resources.limits.memory),
    requestMib: mebibytes(container.resources.requests.memory),
    env,
  };
}

function rssMibOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function peakRssMibOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

const average = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);

/** The average RSS of each `span` seconds of the churn, oldest first. */
function minuteAverages(samples: Sample[], durationSeconds: number, span: number): number[] {
  const averages: number[] = [];
  for (let end = durationSeconds; end - span >= 0; end -= span)
    averages.unshift(average(samples.filter((s) => s.t > end - span && s.t <= end).map((s) => s.rssMib)));
  return averages;
}

export async function watchMemoryBenchmark(objectCount: number, durationSeconds: number): Promise<Row[]> {
  const shipped = shippedContainer();
  const figure = `7. watch steady RSS, ${objectCount.toLocaleString('en')} objects, ${durationSeconds / 60} min of churn`;
  const bound = 0.6 * shipped.limitMib;
  const target = `levels off < ${bound.toFixed(0)} MiB (60% of the ${shipped.limitMib.toFixed(0)} MiB limit)`;
  const root = mkdtempSync(join(tmpdir(), 'kubesnap-bench-memory-'));
  await bundleBuilt();
  const sim = await startSimServer(objectCount);
  const child = spawn(
    'node',
    [bin, 'watch', '--log-format', 'json', '--kubeconfig', sim.kubeconfigPath, '--repo', join(root, 'repo')],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...shipped.env },
    },
  );
  try {
    let commits = 0;
    let committed = 0;
    let failure = '';
    let lastPlainLine = '';
    const firstCommit = new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stderr! }).on('line', (line) => {
        // bin/kubesnap.js says so in plain text when it rebuilds the bundle first, and V8 when it runs out of heap;
        // the log's lines are JSON.
        if (!line.startsWith('{')) {
          if (line.trim()) lastPlainLine = line.trim();
          return;
        }
        const entry = JSON.parse(line);
        // The writer's line has the number of changes; watch's own line at exit repeats the last commit without it.
        if (entry.msg === 'committed' && typeof entry.changes === 'number') {
          commits++;
          committed += entry.changes;
          resolve();
        } else if (entry.level === 'error') failure ||= line;
      });
      child.once('exit', (code) =>
        reject(new Error(`kubesnap watch exited (${code}) before its first commit ${failure}`)),
      );
    });
    const syncStarted = performance.now();
    await firstCommit;
    const syncMs = performance.now() - syncStarted;
    const syncPeakMib = peakRssMibOf(child.pid!);
    const commitsBefore = commits;
    const committedBefore = committed;

    const samples: Sample[] = [];
    const begin = performance.now();
    let diedAfterSeconds: number | undefined;
    child.once('exit', () => (diedAfterSeconds ??= (performance.now() - begin) / 1000));
    const sampler = setInterval(() => {
      try {
        if (diedAfterSeconds === undefined)
          samples.push({ t: (performance.now() - begin) / 1000, rssMib: rssMibOf(child.pid!) });
      } catch {
        // It died between two samples; its 'exit' event is on its way.
      }
    }, 1000);
    const driven = await sim.drive(RATE, durationSeconds * 1000, objectCount);
    clearInterval(sampler);
    if (diedAfterSeconds !== undefined) {
      const peakBefore = Math.max(...samples.map((sample) => sample.rssMib));
      return [
        {
          figure,
          target,
          value: `exited ${diedAfterSeconds.toFixed(0)} s into the churn (code ${child.exitCode ?? child.signalCode})`,
          baseline: '',
          ratio: '',
          met: false,
          notes: [
            `peak RSS before it exited ${peakBefore.toFixed(0)} MiB; its last words: ${failure || lastPlainLine}`,
          ],
        },
      ];
    }
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;

    const start = samples[0]?.rssMib ?? NaN;
    const peak = Math.max(...samples.map((s) => s.rssMib));
    const minute = Math.min(60, durationSeconds / 2);
    const minutes = minuteAverages(samples, durationSeconds, minute);
    const lastMinute = minutes.at(-1)!;
    const minuteBefore = minutes.at(-2)!;
    const highestBefore = Math.max(...minutes.slice(0, -1));
    // Levelled off: the last minute is no new high, by more than 2% (or 10 MiB), over every minute before it. A
    // steady rise makes each minute a new high; a plateau's minutes move ±5% with its commits, which a comparison
    // with the one minute before alone took for a rise or a fall.
    const levelled = lastMinute <= Math.max(highestBefore * 1.02, highestBefore + 10);
    const highest = Math.max(peak, syncPeakMib);
    const writeRate = driven.writes / (driven.elapsedMs / 1000);
    return [
      {
        figure,
        target,
        value: `${lastMinute.toFixed(0)} MiB (last ${minute.toFixed(0)} s)`,
        baseline: `${minuteBefore.toFixed(0)} MiB the ${minute.toFixed(0)} s before, ${highestBefore.toFixed(0)} the highest before`,
        ratio: '',
        met: levelled && highest < bound,
        notes: [
          `RSS of the kubesnap process (bin/kubesnap.js watch, the Deployment's environment: ${
            Object.entries(shipped.env)
              .map(([name, value]) => `${name}=${value}`)
              .join(' ') || 'none'
          }): at the start of the churn ${start.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB, averages of each ${minute.toFixed(0)} s ${minutes.map((mib) => mib.toFixed(0)).join(', ')} MiB: ${levelled ? 'levelled off' : 'still rising'}`,
          `first full sync of ${objectCount.toLocaleString('en')} objects committed in ${(syncMs / 1000).toFixed(1)} s (process start included), peak RSS until then ${syncPeakMib.toFixed(0)} MiB; the Deployment requests ${shipped.requestMib.toFixed(0)} MiB and limits ${shipped.limitMib.toFixed(0)} MiB`,
          `churn: the simulator rewrote ${driven.writes.toLocaleString('en')} objects in ${(driven.elapsedMs / 1000).toFixed(0)} s (${Math.round(writeRate).toLocaleString('en')}/s of the ${RATE.toLocaleString('en')}/s asked); ${(committed - committedBefore).toLocaleString('en')} object changes in ${commits - commitsBefore} commits`,
          `RSS every 15 s (t s: MiB): ${samples
            .filter((_, i) => i % 15 === 0)
            .map((s) => `${s.t.toFixed(0)}: ${s.rssMib.toFixed(0)}`)
            .join(', ')}`,
        ],
      },
    ];
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await sim.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
