// Figure 3: watch throughput. The simulator (its own process) rewrites objects at 5,000 a second, each stamped
// with its write time; ClusterSync (another process, default batching: 5 s or 1,000 changes) turns the watch
// events into commits. Measured: what the simulator managed, what was committed, lag per object, the pending
// queue and RSS every second, and how long the backlog took to drain once the writes stopped.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, percentile, seconds, times, type Row } from './measure.ts';
import { profilerFlags, startSimServer } from './sim-server.ts';

interface Sample {
  t: number;
  pending: number;
  rssMb: number;
  heapMb: number;
  committed: number;
}

const RATE = 5_000;

export async function watchBenchmark(objectCount: number, durationSeconds: number): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'kubesnap-bench-watch-'));
  const sim = await startSimServer(objectCount);
  const child = fork(
    new URL('./watch-process.ts', import.meta.url).pathname,
    [sim.kubeconfigPath, join(root, 'repo')],
    {
      execArgv: ['--import', 'tsx', '--max-old-space-size=4096', ...profilerFlags('watch')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  try {
    const samples: Sample[] = [];
    child.on('message', (message: any) => message.sample && samples.push(message.sample));
    const next = <T>(key: string) =>
      new Promise<T>((resolve, reject) => {
        const onMessage = (message: any) => {
          if (key in message) {
            child.off('message', onMessage);
            resolve(message[key]);
          }
        };
        child.on('message', onMessage);
        child.once('exit', (code) => reject(new Error(`the watch process exited (${code})`)));
      });
    const synced = await next<{ ms: number }>('synced');
    const driven = await sim.drive(RATE, durationSeconds * 1000, objectCount);
    const finishing = next<{
      lagsMs: number[];
      lagsByKind: Record<string, number[]>;
      committed: number;
      commits: number;
      drainMs: number;
    }>('finished');
    child.send({ finish: true });
    const finished = await finishing;

    const writeRate = driven.writes / (driven.elapsedMs / 1000);
    const during = samples.filter((s) => s.t <= driven.elapsedMs / 1000);
    const commitRate = (during.at(-1)?.committed ?? 0) / (driven.elapsedMs / 1000);
    const third = Math.max(1, Math.floor(finished.lagsMs.length / 3));
    const lagFirst = median(finished.lagsMs.slice(0, third));
    const lagLast = median(finished.lagsMs.slice(-third));
    const rssEarly = median(during.slice(0, 10).map((s) => s.rssMb));
    const rssLate = median(during.slice(-10).map((s) => s.rssMb));
    const maxPending = Math.max(0, ...samples.map((s) => s.pending));
    // Not falling behind: the lag at the end is no worse than twice the lag at the start (or within two batch
    // windows), 99% of the changes are committed within two batch windows of their write (a stream read too
    // slowly shows here first: its events wait upstream, not in the pending queue), and the backlog is gone
    // within two batch windows of the last write.
    const lagP99 = percentile(finished.lagsMs, 99);
    const keptUp = lagLast <= Math.max(2 * lagFirst, 10_000) && lagP99 <= 10_000 && finished.drainMs <= 10_000;
    return [
      {
        figure: `3. watch: writes → commits, ${durationSeconds} s, ${objectCount.toLocaleString('en')} objects`,
        target: `${RATE.toLocaleString('en')}/s sustained, not falling behind`,
        value: `${Math.round(commitRate).toLocaleString('en')}/s committed`,
        baseline: `${Math.round(writeRate).toLocaleString('en')}/s written by the simulator`,
        ratio: times(commitRate / writeRate),
        met: writeRate >= 0.95 * RATE && commitRate >= 0.9 * writeRate && keptUp,
        notes: [
          `the simulator (one process, one core at most) wrote ${driven.writes.toLocaleString('en')} objects in ${seconds(driven.elapsedMs)} (${Math.round(writeRate).toLocaleString('en')}/s of the ${RATE.toLocaleString('en')}/s asked)`,
          `committed ${finished.committed.toLocaleString('en')} object changes in ${finished.commits} commits (an object rewritten within one batch is committed once); the backlog drained ${seconds(finished.drainMs)} after the writes stopped`,
          `lag write → committed: median ${seconds(median(finished.lagsMs))}, p99 ${seconds(lagP99)}, max ${seconds(percentile(finished.lagsMs, 100))}; median of the first third ${seconds(lagFirst)}, of the last third ${seconds(lagLast)} (the batch window is 5 s or 1,000 changes)`,
          `median lag by kind, slowest first: ${Object.entries(finished.lagsByKind)
            .map(([kind, lags]) => [kind, median(lags)] as const)
            .sort((a, b) => b[1] - a[1])
            .map(([kind, lag]) => `${kind} ${seconds(lag)}`)
            .join(', ')}`,
          `pending queue: at most ${maxPending.toLocaleString('en')}; RSS ${rssEarly.toFixed(0)} MB over the first 10 s, ${rssLate.toFixed(0)} MB over the last 10 s (heap ${median(during.slice(-10).map((s) => s.heapMb)).toFixed(0)} MB)`,
          `first full sync of ${objectCount.toLocaleString('en')} objects committed in ${seconds(synced.ms)}`,
          `per second (t, committed, pending, RSS MB): ${samples
            .filter((_, i) => i % 5 === 0)
            .map((s) => `${s.t.toFixed(0)}:${s.committed}/${s.pending}/${s.rssMb.toFixed(0)}`)
            .join(' ')}`,
        ],
      },
    ];
  } finally {
    if (child.exitCode === null && child.connected) child.kill();
    await sim.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
