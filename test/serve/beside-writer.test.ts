// serve beside a writer (watch in the deploy component): a commit another process's repository handle writes —
// a new pack or loose objects and a moved ref — shows on the next page view, without a restart.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serializeObject } from '../../lib/layout/index.ts';
import { parseListen, servePages, startServer } from '../../lib/serve/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { configMap, times } from '../diff/fixture-repository.ts';
import { serveRepository } from './repository.ts';

test('a commit written meanwhile by another handle is on the next timeline and its commit page', async () => {
  const history = await serveRepository();
  const server = await startServer({ listen: parseListen('127.0.0.1:0'), pages: servePages(history.repository) });
  try {
    assert.is((await fetch(server.url)).status, 200);
    const writer = await SnapshotRepository.open(history.dir, { create: false });
    const changes = Array.from({ length: 300 }, (_, i) => ({
      path: `late/configmaps/c-${i}.yaml`,
      content: serializeObject(configMap('late', `c-${i}`, { i: String(i) })),
    }));
    const written = await writer.commitChanges(changes, {
      message: 'snapshot: 300 created, 0 updated, 0 deleted\n',
      author: { name: 'kubesnap', email: 'kubesnap@localhost', timestamp: times[2] + 7200, timezoneOffset: 0 },
    });
    await writer.close();
    const timeline = await (await fetch(server.url)).text();
    assert.ok(timeline.includes(`/commit/${written!.commit}`), 'the new commit is on the timeline');
    const page = await fetch(`${server.url}commit/${written!.commit}`);
    assert.is(page.status, 200);
    assert.match(await page.text(), 'late/configmaps/c-299.yaml');
  } finally {
    await server.close();
    history.remove();
  }
});

test.run();
