// Figure 8: `kubesnap serve`'s pages on a big repository (issue 19), each beside the git command doing the same
// reading: timeline (git log of a page), commit (git show), object (git log -p of one file), compare of 100 changed
// objects (git diff). Pages are fetched over loopback from a server in this process; the first (cold) answer and the
// median of the warm ones are reported, the target is on the warm median. Then the first request after a restart:
// filtered timelines fetched first from a server on a newly opened repository (nothing cached), beside git's own
// first run of the same page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseListen, servePages, startServer } from '../../lib/serve/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { median, millis, runsOf, timedProcess, times, type Row } from './measure.ts';
import { CHANGES_PER_COMMIT, serveBenchRepository } from './serve-repository.ts';

const WARM_RUNS = 5;
const RESTARTS = 3;

interface Page {
  figure: string;
  url: string;
  targetMs: number;
  git: string[];
}

export async function serveBenchmark(objectCount: number, commitCount: number): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'kubesnap-bench-serve-'));
  try {
    const { repository, dir, commits, busyObjectPath } = await serveBenchRepository(root, objectCount, commitCount);
    const server = await startServer({ listen: parseListen('127.0.0.1:0'), pages: servePages(repository) });
    const comparedCommits = 100 / CHANGES_PER_COMMIT;
    const from = commits[commits.length - 1 - comparedCommits];
    const head = commits[commits.length - 1];
    const middle = commits[Math.floor(commits.length / 2)];
    const scale = `${objectCount.toLocaleString('en')} objects, ${commits.length.toLocaleString('en')} commits`;
    const pages: Page[] = [
      {
        figure: `8a. serve timeline (first page, activity), ${scale}`,
        url: '',
        targetMs: 200,
        git: ['log', '-50', '--format=%H %ct %s%n%b', 'main'],
      },
      {
        figure: '8b. serve timeline filtered by namespace',
        url: '?ns=ns-7',
        targetMs: 200,
        git: ['log', '-50', '--format=%H %ct %s%n%b', 'main', '--', 'ns-7'],
      },
      {
        figure: `8c. serve commit page (${CHANGES_PER_COMMIT} changes)`,
        url: `commit/${middle}`,
        targetMs: 200,
        git: ['show', middle],
      },
      {
        figure: '8d. serve object page (history)',
        url: `object/${busyObjectPath}`,
        targetMs: 200,
        git: ['log', '-p', '--format=%H %ct %s', 'main', '--', busyObjectPath],
      },
      {
        figure: '8e. serve compare of 100 changed objects',
        url: `compare/${from}...${head}`,
        targetMs: 500,
        git: ['diff', from, head],
      },
      {
        figure: '8f. serve timeline filtered by manager (`?manager=helm`)',
        url: '?manager=helm',
        targetMs: 200,
        git: ['log', '-50', '--format=%H %ct %s%n%b', 'main', '--grep=^Kubesnap-Changed-By: helm$'],
      },
    ];
    const rows: Row[] = [];
    for (const page of pages) {
      const answers: number[] = [];
      for (let run = 0; run <= WARM_RUNS; run++) answers.push(await fetchMs(`${server.url}${page.url}`));
      const [cold, ...warm] = answers;
      const gitRuns: number[] = [];
      for (let run = 0; run < 3; run++)
        gitRuns.push((await timedProcess(['git', '--git-dir', dir, ...page.git])).wallMs);
      const value = median(warm);
      const baseline = median(gitRuns);
      rows.push({
        figure: page.figure,
        target: `< ${page.targetMs} ms`,
        value: millis(value),
        baseline: `${millis(baseline)} (git ${page.git[0]})`,
        ratio: times(value / baseline),
        met: value < page.targetMs,
        notes: [
          `first answer ${millis(cold)}; warm: ${runsOf(warm, millis)}; git ${page.git.slice(0, 2).join(' ')}…: ${runsOf(gitRuns, millis)}`,
        ],
      });
    }
    // Serve's caches (history memo, read trees, delta bases) are bounded by bytes; this is what they came to.
    const memory = process.memoryUsage();
    rows[rows.length - 1].notes.push(
      `this process after the pages: heap ${Math.round(memory.heapUsed / 2 ** 20)} MiB, RSS ${Math.round(memory.rss / 2 ** 20)} MiB`,
    );
    await server.close();
    await repository.close();
    const filtered = (url: string) => pages.find((page) => page.url === url)!;
    rows.push(await firstAfterStart(dir, '8g', filtered('?ns=ns-7')));
    rows.push(await firstAfterStart(dir, '8h', filtered('?manager=helm')));
    rows.push(
      await firstAfterStart(dir, '8i', {
        figure: '8i. serve timeline filtered by kind',
        url: '?kind=configmaps',
        targetMs: 200,
        git: ['log', '-50', '--format=%H %ct %s%n%b', 'main', '--', '*/configmaps/*'],
      }),
    );
    return rows;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The page as the first request of a server on a newly opened repository (a restarted serve), RESTARTS times. */
async function firstAfterStart(dir: string, figure: string, page: Page): Promise<Row> {
  const answers: number[] = [];
  const gitRuns: number[] = [];
  for (let run = 0; run < RESTARTS; run++) {
    const repository = await SnapshotRepository.open(dir, { create: false });
    const server = await startServer({ listen: parseListen('127.0.0.1:0'), pages: servePages(repository) });
    answers.push(await fetchMs(`${server.url}${page.url}`));
    await server.close();
    await repository.close();
    gitRuns.push((await timedProcess(['git', '--git-dir', dir, ...page.git])).wallMs);
  }
  const value = median(answers);
  const baseline = median(gitRuns);
  return {
    figure: `${figure}. serve timeline \`${page.url}\` as the first request after start`,
    target: `< ${page.targetMs} ms`,
    value: millis(value),
    baseline: `${millis(baseline)} (git log)`,
    ratio: times(value / baseline),
    met: value < page.targetMs,
    notes: [`${RESTARTS} restarts: ${runsOf(answers, millis)}; git's first run each time: ${runsOf(gitRuns, millis)}`],
  };
}

async function fetchMs(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  return performance.now() - started;
}
