// Paging through a history with a merge shows every commit HEAD reaches once, in git log's order: "Older commits"
// goes on down both sides of the merge, not only down the side of the last commit shown.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { parseListen, servePages, startServer } from '../../lib/serve/index.ts';
import { PAGE_SIZE } from '../../lib/serve/timeline.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { times } from '../diff/fixture-repository.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { commitLinks, gitLogOf, olderLink } from './timeline-links.ts';
import { git } from '../store/real-git.ts';

/** Commits on each side of the merge, taking turns in time, so each page holds commits of both sides. */
const SIDE_COMMITS = 80;

const tmp = temporaryDirectory('kubesnap-serve-merge-pages-');
const dir = join(tmp.path, 'repo');

/**
 * 10 commits, then `main` and `side` each commit SIDE_COMMITS times (a commit of `side` a minute after each of
 * `main`), `main` merges `side`, and 10 more commits follow. Two commits in three change `shop`, the third `other`.
 */
function historyStream(): string {
  const lines: string[] = [];
  let mark = 0;
  const commit = (
    branch: string,
    at: number,
    subject: string,
    parents: { from?: number; merge?: number },
    files: Map<string, string>,
  ) => {
    mark++;
    lines.push(`commit refs/heads/${branch}`, `mark :${mark}`, `committer kubesnap <kubesnap@localhost> ${at} +0000`);
    lines.push(`data ${Buffer.byteLength(subject)}`, subject);
    if (parents.from) lines.push(`from :${parents.from}`);
    if (parents.merge) lines.push(`merge :${parents.merge}`);
    for (const [file, content] of files)
      lines.push(`M 100644 inline ${file}`, `data ${Buffer.byteLength(content)}`, content);
    return mark;
  };
  const change = (branch: string, i: number) =>
    new Map([
      [`${i % 3 === 0 ? 'other' : 'shop'}/configmaps/${branch === 'side' ? 'side' : 'web'}.yaml`, `${branch} ${i}\n`],
    ]);
  /** What `side` wrote last to each file: the merge takes it (fast-import starts a commit from its first parent's tree). */
  const sideFiles = new Map<string, string>();
  let main = 0;
  for (let i = 0; i < 10; i++)
    main = commit('main', times[0] + i * 60, `linear ${i}`, { from: main }, change('linear', i));
  let side = main;
  const forked = times[0] + 3600;
  for (let i = 0; i < SIDE_COMMITS; i++) {
    main = commit('main', forked + i * 120, `main branch ${i}`, { from: main }, change('main', i));
    side = commit('side', forked + i * 120 + 60, `side branch ${i}`, { from: side }, change('side', i));
    for (const [file, content] of change('side', i)) sideFiles.set(file, content);
  }
  const merged = forked + SIDE_COMMITS * 120 + 60;
  main = commit('main', merged, 'merge side branch', { from: main, merge: side }, sideFiles);
  for (let i = 10; i < 20; i++)
    main = commit('main', merged + (i - 9) * 60, `linear ${i}`, { from: main }, change('linear', i));
  return `${lines.join('\n')}\n`;
}

const gitLog = (...args: string[]) => gitLogOf(dir, ...args);

/** The commits of every page, first to last, following "Older commits" from `query`, and the links followed. */
async function allPages(url: string, query: string): Promise<{ pages: string[][]; links: string[] }> {
  const pages: string[][] = [];
  const links: string[] = [];
  for (let link: string | undefined = `/${query}`; link !== undefined; ) {
    links.push(link);
    const response = await fetch(new URL(link, url));
    assert.is(response.status, 200, link);
    const html = await response.text();
    if (pages.length > 0) assert.match(html, `<a class="newest" href="/${query}">Newest commits</a>`);
    pages.push(commitLinks(html));
    link = olderLink(html);
  }
  return { pages, links };
}

test.before(() => {
  git(tmp.path, ['init', '--quiet', '--bare', '--initial-branch=main', dir]);
  git(dir, ['fast-import', '--quiet'], {}, historyStream());
});
test.after(() => tmp.remove());

for (const [query, gitArgs] of [
  ['', []],
  ['?ns=shop', ['--', 'shop']],
  ['?q=branch', ['--fixed-strings', '--regexp-ignore-case', '--grep=branch']],
] as const) {
  test(`/${query}: the pages hold the commits of git log ${gitArgs.join(' ')}, each once, in its order`, async () => {
    const theirs = gitLog(...gitArgs);
    assert.ok(theirs.length > 2 * PAGE_SIZE, `${theirs.length} commits: too few for three pages`);
    assert.is(new Set(theirs).size, theirs.length);
    const repository = await SnapshotRepository.open(dir, { create: false });
    const server = await startServer({ listen: parseListen('127.0.0.1:0'), pages: servePages(repository) });
    try {
      const { pages, links } = await allPages(server.url, query);
      // The first page ends between the merge and the fork: the walk has both sides still to go to.
      assert.match(links[1], /[?&]from=[0-9a-f]{40}%2C[0-9a-f]{40}$/);
      const theirPages = Array.from({ length: Math.ceil(theirs.length / PAGE_SIZE) }, (_, page) =>
        theirs.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE),
      );
      assert.equal(pages, theirPages);
    } finally {
      await server.close();
      await repository.close();
    }
  });
}

test.run();
