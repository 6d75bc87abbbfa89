import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { parseListen, servePages, startServer, type RunningServer } from '../../lib/serve/index.ts';
import { paths } from '../diff/fixture-repository.ts';
import { openBrowser, type TestBrowser } from './browser.ts';
import { HOSTILE_NAME, serveRepository } from './repository.ts';

const screenshots = new URL('../../docs/serve/', import.meta.url).pathname;

interface Context {
  history: Awaited<ReturnType<typeof serveRepository>>;
  server: RunningServer;
  browser: TestBrowser;
  dialogs: string[];
}

const pages = suite<Context>('serve pages in Chromium');

pages.before(async (context) => {
  context.history = await serveRepository();
  context.server = await startServer({
    listen: parseListen('127.0.0.1:0'),
    pages: servePages(context.history.repository),
  });
  context.browser = await openBrowser();
  context.dialogs = [];
  context.browser.page.on('dialog', (dialog) => {
    context.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
});

pages.after(async (context) => {
  await context.browser?.close();
  await context.server?.close();
  context.history?.remove();
});

/** Every page but the 404s must load without a console error (a CSP violation is one) and run no script. */
function assertClean(context: Context): void {
  assert.equal(context.browser.errors, [], 'no console errors');
  assert.equal(context.dialogs, [], 'no script ran');
}

const commitIds = (context: Context) => context.browser.page.locator('li.commit a.id').allTextContents();
const short = (commit: string) => commit.slice(0, 7);

pages('timeline: newest first, summaries, managers, counts per kind; a hostile name is text', async (context) => {
  const { page } = context.browser;
  const { commits } = context.history;
  const response = await page.goto(context.server.url);
  assert.is(response?.status(), 200);
  assert.match(response!.headers()['content-security-policy'], "default-src 'none'");
  assert.equal(await commitIds(context), [...commits].reverse().map(short));
  const newest = page.locator('li.commit').first();
  assert.match((await newest.locator('.subject').textContent()) ?? '', 'watch: 1 created');
  assert.is(await newest.locator('.manager').textContent(), 'by <script>x</script>');
  assert.match(
    (await newest.locator('pre.body').textContent()) ?? '',
    HOSTILE_NAME.replace(/[<>"'&]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).slice(0, 3),
  );
  assert.equal(await page.locator('li.commit').nth(1).locator('.count').allTextContents(), [
    'configmaps 1',
    'deployments.apps 1',
  ]);
  assert.is(await page.locator('main img, main script').count(), 0);
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: `${screenshots}timeline.png`, fullPage: true });
  assertClean(context);
});

pages('timeline filters are URL parameters: namespace, kind, manager, text, time', async (context) => {
  const { page } = context.browser;
  const { commits } = context.history;
  await page.goto(context.server.url);
  await page.fill('input[name=ns]', 'payments');
  await page.click('form.filters button');
  assert.match(page.url(), /[?&]ns=payments/);
  assert.equal(await commitIds(context), [commits[2], commits[0]].map(short));
  await page.goto(`${context.server.url}?kind=deployments.apps`);
  assert.equal(await commitIds(context), [commits[2], commits[1], commits[0]].map(short));
  await page.goto(`${context.server.url}?manager=kubectl-edit`);
  assert.equal(await commitIds(context), [short(commits[1])]);
  await page.goto(`${context.server.url}?q=${encodeURIComponent('2 updated')}`);
  assert.equal(await commitIds(context), [short(commits[2])]);
  await page.goto(`${context.server.url}?since=2026-11-20T09:30Z&until=2026-11-20T11:30Z`);
  assert.equal(await commitIds(context), [commits[2], commits[1]].map(short));
  await page.goto(`${context.server.url}?ns=nowhere`);
  assert.is(await page.locator('p.empty').textContent(), 'No commits match.');
  const markup = '"><script>alert(1)</script>';
  await page.goto(`${context.server.url}?q=${encodeURIComponent(markup)}`);
  assert.is(await page.inputValue('input[name=q]'), markup, 'a filter value is shown back as text');
  assertClean(context);
});

pages(
  'activity picture: a bar per hour stacked by namespace; clicking one narrows the timeline to its hour',
  async (context) => {
    const { page } = context.browser;
    await page.goto(context.server.url);
    const bars = page.locator('figure.activity svg a.bar');
    assert.is(await bars.count(), 4);
    assert.equal(await page.locator('figcaption .legend').allTextContents(), ['shop', 'payments', '_cluster']);
    await bars.nth(1).locator('rect.hit').click();
    await page.waitForURL(/since=/);
    assert.match(decodeURIComponent(page.url()), 'since=2026-11-20T10:00:00Z&until=2026-11-20T11:00:00Z');
    assert.equal(await commitIds(context), [short(context.history.commits[1])]);
    // The form keeps the bar's hour: kinds of that commit only.
    await page.selectOption('select[name=stack]', 'kind');
    await page.click('form.filters button');
    assert.match(page.url(), 'stack=kind');
    assert.equal(await page.locator('figcaption .legend').allTextContents(), [
      'configmaps',
      'customresourcedefinitions.apiextensions.k8s.io',
      'deployments.apps',
      'secrets',
      'widgets.example.com',
    ]);
    assertClean(context);
  },
);

pages('commit page: message, per-file anchors, the diff renderer, links to object history', async (context) => {
  const { page } = context.browser;
  await page.goto(context.server.url);
  await page.locator('li.commit a.id').nth(1).click();
  assert.match(page.url(), `/commit/${context.history.commits[2]}`);
  assert.match((await page.locator('pre.message').textContent()) ?? '', 'Kubesnap-Changed-By: kubectl-scale');
  await page.locator(`ul.files a[href="#file-${paths.web}"]`).click();
  assert.ok(page.url().endsWith(`#file-${paths.web}`));
  const web = page.locator(`[id="file-${paths.web}"]`);
  assert.match((await web.locator('ul.fields').textContent()) ?? '', 'spec.replicas: 3 → 4');
  assert.ok((await web.locator('.d2h-file-side-diff').count()) > 0);
  await page.locator('ul.files li', { hasText: paths.web }).locator('text=history').click();
  assert.match(page.url(), `/object/${paths.web}`);
  assert.is(await page.locator('ol.history li').count(), 3);
  assertClean(context);
});

pages('compare A...B: the summary table and side-by-side diffs of every changed object', async (context) => {
  const { page } = context.browser;
  const { commits } = context.history;
  const response = await page.goto(`${context.server.url}compare/${commits[0]}...${commits[2]}`);
  assert.is(response?.status(), 200);
  assert.is(await page.locator('table.summary tbody tr').count(), 6);
  assert.equal(await page.locator('div.object').evaluateAll((nodes) => nodes.map((node) => node.id)), [
    `file-${paths.crd}`,
    `file-${paths.payments}`,
    `file-${paths.oldConfig}`,
    `file-${paths.web}`,
    `file-${paths.creds}`,
    `file-${paths.widget}`,
  ]);
  await page.screenshot({ path: `${screenshots}compare.png`, fullPage: false });
  assertClean(context);
});

pages("object page: history, one version's YAML, a diff of two versions", async (context) => {
  const { page } = context.browser;
  const { commits } = context.history;
  await page.goto(`${context.server.url}object/${paths.web}`);
  await page.locator('ol.history a', { hasText: short(commits[0]) }).click();
  assert.match((await page.locator('pre.yaml').textContent()) ?? '', 'replicas: 2');
  await page.selectOption('select[name=from]', commits[0]);
  await page.selectOption('select[name=to]', commits[2]);
  await page.click('form.compare button');
  assert.match((await page.locator('ul.fields').textContent()) ?? '', 'spec.replicas: 2 → 4');
  await page.goto(`${context.server.url}object/${paths.creds}?version=${commits[1]}`);
  assert.match((await page.locator('pre.yaml').textContent()) ?? '', 'sha256:bbbb');
  assertClean(context);
});

pages('a hostile object name is text on the object page, reached by its link', async (context) => {
  const { page } = context.browser;
  await page.goto(`${context.server.url}commit/HEAD`);
  await page.locator('ul.files a', { hasText: 'history' }).click();
  assert.is(await page.locator('h1').textContent(), context.history.hostilePath);
  await page.locator('ol.history a').first().click();
  const yaml = (await page.locator('pre.yaml').textContent()) ?? '';
  assert.match(yaml, `name: ${HOSTILE_NAME}`);
  assert.match(yaml, 'label: <b>bold</b>');
  assert.is(await page.locator('main img, main b, main script').count(), 0);
  assertClean(context);
});

pages('bad URLs: a 404 page with one sentence', async (context) => {
  const { page } = context.browser;
  for (const [url, sentence] of [
    ['commit/no-such-revision', "unknown revision 'no-such-revision'"],
    ['compare/HEAD', 'is not a range'],
    ['object/shop/configmaps/never.yaml', 'No object was ever at shop/configmaps/never.yaml.'],
    ['object/not-an-object', 'is not the path of an object'],
    ['nowhere', 'Nothing is at /nowhere.'],
    [`object/${paths.web}?version=0000000`, 'is not a version of'],
  ]) {
    const response = await page.goto(`${context.server.url}${url}`);
    assert.is(response?.status(), 404, url);
    assert.match((await page.locator('p.message').textContent()) ?? '', sentence);
  }
  // Chromium logs each 404 response as a console error: expected here.
  context.browser.errors.length = 0;
});

pages.run();
