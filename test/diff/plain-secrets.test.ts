import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { diffRevisions, renderJson, renderText } from '../../lib/diff/index.ts';
import { runCli } from '../helpers/cli.ts';
import { paths, plainSecretsRepository } from './fixture-repository.ts';

const plain = suite<{ fixture: Awaited<ReturnType<typeof plainSecretsRepository>> }>(
  'a repository written with --secrets plain',
);
plain.before(async (context) => {
  context.fixture = await plainSecretsRepository();
});
plain.after((context) => context.fixture?.remove());

const readable = [
  Buffer.from('hunter2-old').toString('base64'),
  Buffer.from('hunter2-new').toString('base64'),
  Buffer.from('admin').toString('base64'),
  'hunter2',
];

plain('no format prints a Secret value; only that it changed', async ({ fixture }) => {
  for (const format of ['text', 'markdown', 'json', 'html']) {
    const result = await runCli(['--repo', fixture.dir, 'diff', '--format', format]);
    assert.is(result.code, 0, result.stderr);
    for (const value of readable) assert.not.ok(result.stdout.includes(value), `${format} shows ${value}`);
    assert.ok(result.stdout.includes('(value changed)'), `${format} does not say the value changed`);
  }
  const text = renderText(await diffRevisions({ repository: fixture.repository }));
  assert.match(text, /data\.password: \(hidden\) → \(value changed\)/);
  assert.not.match(text, /data\.user/);
  const json = JSON.parse(renderJson(await diffRevisions({ repository: fixture.repository })));
  assert.equal(json.objects[0].operations, [{ op: 'replace', path: '/data/password', value: '(value changed)' }]);
  const shown = await runCli(['--repo', fixture.dir, 'show', `HEAD:${paths.creds}`]);
  for (const value of readable) assert.not.ok(shown.stdout.includes(value), `show prints ${value}`);
  assert.match(shown.stdout, /password: \(hidden\)/);
});

plain('--show-secrets shows them', async ({ fixture }) => {
  const result = await runCli(['--repo', fixture.dir, 'diff', '--show-secrets']);
  assert.ok(result.stdout.includes(readable[1]));
});

plain.run();
