import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { openBrowser, type TestBrowser } from './browser.ts';
import { serveRepository } from './repository.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

const TOKEN = 'serve-test-token-3f9a1c7e5b';

interface Context {
  history: Awaited<ReturnType<typeof serveRepository>>;
  tokenFile: string;
  serve: ServeProcess;
  browser: TestBrowser;
}

const token = suite<Context>('serve off loopback needs a token');

token.before(async (context) => {
  context.history = await serveRepository();
  context.tokenFile = join(context.history.dir, '..', 'token');
  writeFileSync(context.tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  context.browser = await openBrowser();
});

token.after(async (context) => {
  await context.serve?.stop();
  await context.browser?.close();
  context.history?.remove();
});

token('listening on 0.0.0.0 without --token-file is refused with one sentence, exit 2', async (context) => {
  const result = await runCli(['--repo', context.history.dir, 'serve', '--listen', '0.0.0.0:0'], {
    env: { KUBECONFIG: '/nonexistent', HOME: context.history.dir },
  });
  assert.is(result.code, 2);
  assert.match(result.stderr, '--listen 0.0.0.0 is reachable from other machines; give --token-file');
  assert.not.match(result.stderr, '    at ');
});

token(
  'with --token-file: 401 without the token or with a wrong one; the token once, then the cookie',
  async (context) => {
    context.serve = await startServe([
      '--repo',
      context.history.dir,
      'serve',
      '--listen',
      '0.0.0.0:0',
      '--token-file',
      context.tokenFile,
    ]);
    const { page } = context.browser;
    let response = await page.goto(context.serve.url);
    assert.is(response?.status(), 401);
    assert.match((await page.locator('p.message').textContent()) ?? '', 'This server needs its token');
    assert.is(await page.locator('li.commit').count(), 0);
    response = await page.goto(`${context.serve.url}?token=not-the-token`);
    assert.is(response?.status(), 401);
    response = await page.goto(`${context.serve.url}?token=${TOKEN}`);
    assert.is(response?.status(), 200);
    assert.is(await page.locator('li.commit').count(), 4);
    response = await page.goto(`${context.serve.url}commit/HEAD`);
    assert.is(response?.status(), 200, 'the cookie carries the session');
    const cookies = await page.context().cookies();
    assert.is(cookies.length, 1);
    assert.ok(cookies[0].httpOnly);
    assert.not.match(cookies[0].value, TOKEN);
    assert.is((await fetch(`${context.serve.url}commit/HEAD`)).status, 401);
    assert.is(
      (await fetch(`${context.serve.url}commit/HEAD`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
      200,
    );
    assert.not.match(context.serve.stderr(), TOKEN);
  },
);

token.run();
