// The repository is deleted (or deleted and created again) under a running watch: nothing more is
// written to it, /readyz says why, and SIGTERM ends the process within seconds with exit 1.
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../helpers/cluster.ts';
import { git } from '../helpers/processes.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { headOf, metricsOf, readyz, startWatch, statusUrlOf } from './running-watch.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const gone = simulatorSuite('watch: repository deleted or replaced', { simulator: { bookmarkIntervalMs: 500 } });

/** Files under objects/ other than the empty info/ and pack/ folders git init makes. */
function objectFiles(repo: string): string[] {
  return readdirSync(join(repo, 'objects'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name);
}

for (const [what, replace] of [
  ['deleted', false],
  ['replaced', true],
] as const) {
  gone(
    `a repository ${what} under a running watch is not written to; /readyz says so; SIGTERM exits 1 at once`,
    async ({ sim, tmp }) => {
      const repo = join(tmp.path, what);
      const running = startWatch(sim, repo, '--listen', '127.0.0.1:0', '--batch', '100ms', '--max-failing', '1h');
      try {
        const base = await statusUrlOf(running);
        await eventually(() => headOf(repo), 20_000, 'the first full sync committed');
        rmSync(repo, { recursive: true, force: true });
        if (replace) await git(tmp.path, 'init', '-q', '--bare', repo);
        for (let i = 0; i < 5; i++) {
          assert.is(
            (
              await kubectl(sim.kubeconfigPath, [
                '-n',
                'shop',
                'create',
                'configmap',
                `after-${what}-${i}`,
                '--from-literal=k=v',
              ])
            ).code,
            0,
          );
        }
        const answer = await eventually(
          async () => {
            const current = await readyz(base);
            return current.status === 503 && current;
          },
          10_000,
          `/readyz to fail (output: ${running.output()})`,
        );
        assert.is(
          answer.body,
          `repository: the repository at ${repo} was ${what} while kubesnap was writing to it; nothing more is committed`,
        );
        assert.match(await metricsOf(base), /kubesnap_ready\{source="repository"\} 0/);
        await eventually(() => /commit failed/.test(running.output()), 10_000, 'a commit refused');
        if (replace) assert.equal(objectFiles(repo), [], 'nothing written into the new repository');

        const signalled = Date.now();
        running.child.kill('SIGTERM');
        assert.is(await running.exited, 1, running.output());
        assert.ok(Date.now() - signalled < 5000, `exited ${Date.now() - signalled} ms after SIGTERM`);
        assert.match(
          running.output().trim().split('\n').at(-1)!,
          new RegExp(`^error: the last batch could not be committed: the repository at ${repo} was ${what}`),
        );
        if (replace) {
          assert.ok(existsSync(join(repo, 'HEAD')), 'the new repository is left where it is');
          assert.equal(objectFiles(repo), []);
          assert.is(await headOf(repo), undefined);
        }
      } finally {
        running.child.kill('SIGKILL');
      }
    },
  );
}

gone.run();
