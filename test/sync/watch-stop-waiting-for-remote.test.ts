// A new, empty repository waits for its remote before writing anything; SIGTERM meanwhile ends the watch at once.
import * as assert from 'uvu/assert';
import { createServer } from 'node:net';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../helpers/cluster.ts';
import { headOf, startWatch } from './running-watch.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const waiting = simulatorSuite('watch: stopped while waiting for the remote');

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

waiting(
  'SIGTERM while a new repository waits for an unreachable remote exits 0 within seconds, having written nothing',
  async ({ sim, tmp }) => {
    const repo = join(tmp.path, 'new');
    const remote = `http://127.0.0.1:${await closedPort()}/history.git`;
    const running = startWatch(sim, repo, '--remote', remote, '--push-interval', '1m');
    try {
      await eventually(
        () => /the remote cannot be fetched/.test(running.output()),
        20_000,
        `the wait for the remote (output: ${running.output()})`,
      );
      const signalled = Date.now();
      running.child.kill('SIGTERM');
      const code = await Promise.race([
        running.exited,
        new Promise((resolve) => setTimeout(() => resolve('still running'), 5_000)),
      ]);
      assert.is(code, 0, running.output());
      assert.ok(Date.now() - signalled < 5_000);
      assert.match(running.output(), /stopped before the remote answered; nothing was written/);
      assert.is(await headOf(repo), undefined);
      assert.equal(readdirSync(join(repo, 'refs', 'heads')), []);
    } finally {
      running.child.kill('SIGKILL');
    }
  },
);

waiting.run();
