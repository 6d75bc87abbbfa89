// The timeline pages by commit (`before=`), so a link to page two stays right while new commits arrive.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { serializeObject } from '../../lib/layout/index.ts';
import { parseListen, servePages, startServer } from '../../lib/serve/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { configMap, times } from '../diff/fixture-repository.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { commitLinks } from './timeline-links.ts';

test('60 commits: 50 on the first page, the other 10 behind "Older commits", which ends there', async () => {
  const tmp = temporaryDirectory('kubesnap-serve-paging-');
  const repository = await SnapshotRepository.open(join(tmp.path, 'repo'), { create: true });
  const commits: string[] = [];
  for (let i = 0; i < 60; i++) {
    const content = serializeObject(configMap('shop', 'web', { i: String(i) }));
    const result = await repository.commitChanges([{ path: 'shop/configmaps/web.yaml', content }], {
      message: `watch: change ${i}\n`,
      author: { name: 'kubesnap', email: 'kubesnap@localhost', timestamp: times[0] + i * 60, timezoneOffset: 0 },
    });
    commits.unshift(result!.commit);
  }
  const server = await startServer({ listen: parseListen('127.0.0.1:0'), pages: servePages(repository) });
  try {
    const first = await (await fetch(`${server.url}?ns=shop`)).text();
    assert.equal(commitLinks(first), commits.slice(0, 50));
    const older = /<a class="next" href="([^"]+)">Older commits<\/a>/.exec(first)?.[1].replace(/&amp;/g, '&');
    assert.is(older, `/?ns=shop&before=${commits[49]}`);
    const second = await (await fetch(new URL(older!, server.url))).text();
    assert.equal(commitLinks(second), commits.slice(50));
    assert.not.match(second, 'Older commits');
  } finally {
    await server.close();
    tmp.remove();
  }
});

test.run();
