// kubesnap log shows which revisions a drill proved restorable (and which failed), from the drill notes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { objectPath, serializeObject } from '../../lib/layout/index.ts';
import { runCli } from '../helpers/cli.ts';
import { configMap, namespace, writeRepository } from './drill-setup.ts';

test('a drilled revision is marked restorable in kubesnap log, a failed one as failed, the others not at all', async () => {
  const repo = await writeRepository([namespace('shop'), configMap('shop', 'settings')]);
  try {
    const good = await repo.repository.head();
    const bad = configMap('shop', 'Bad_Name')[1];
    await repo.repository.commitChanges(
      [
        {
          path: objectPath({ group: '', resource: 'configmaps', namespace: 'shop', name: 'Bad_Name' }),
          content: serializeObject(bad),
        },
      ],
      {
        message: 'a name no server takes',
        author: { name: 'test', email: 'test@localhost', timestamp: 1_780_000_100 },
      },
    );
    await repo.repository.commitChanges(
      [
        {
          path: objectPath({ group: '', resource: 'configmaps', namespace: 'shop', name: 'later' }),
          content: serializeObject(configMap('shop', 'later')[1]),
        },
      ],
      { message: 'not drilled', author: { name: 'test', email: 'test@localhost', timestamp: 1_780_000_200 } },
    );
    assert.is((await runCli(['drill', good!, '--repo', repo.repo])).code, 0);
    assert.is((await runCli(['drill', 'HEAD~1', '--repo', repo.repo])).code, 1);

    const today = new Date().toISOString().slice(0, 10);
    const log = await runCli(['log', '--repo', repo.repo]);
    assert.is(log.code, 0, log.stderr);
    const lines = log.stdout.trim().split('\n');
    assert.is(lines.length, 3);
    assert.not.match(lines[0], /\[/);
    assert.match(lines[1], new RegExp(` \\[drill failed ${today}\\]$`));
    assert.match(lines[2], new RegExp(`^${good!.slice(0, 7)} .* \\[restorable, drilled ${today}\\]$`));

    const json = JSON.parse((await runCli(['log', '--repo', repo.repo, '-o', 'json'])).stdout);
    assert.equal(json[0].drills, []);
    assert.equal(
      json[2].drills.map((d: { passed: boolean; parts: object }) => [d.passed, d.parts]),
      [[true, { config: 'passed' }]],
    );
  } finally {
    repo.remove();
  }
});

test.run();
