import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { historyRepository, paths } from './fixture-repository.ts';

type Fixture = Awaited<ReturnType<typeof historyRepository>>;
const history = suite<{ fixture: Fixture; cli(...args: string[]): ReturnType<typeof runCli> }>('log and show');

history.before(async (context) => {
  context.fixture = await historyRepository();
  context.cli = (...args) => runCli(['--repo', context.fixture.dir, ...args]);
});
history.after((context) => context.fixture?.remove());

history('log of one object: newest first, change and manager per commit, -p and json', async ({ cli, fixture }) => {
  const log = await cli('log', 'deploy/web', '-n', 'shop');
  assert.is(log.code, 0, log.stderr);
  const short = fixture.commits.map((c) => c.slice(0, 7));
  assert.is(
    log.stdout,
    [
      `${short[2]} 2026-11-20T11:00:00Z changed (spec.replicas) by kubectl-scale`,
      `${short[1]} 2026-11-20T10:00:00Z changed (spec.replicas, spec.template.spec.containers[web].image) by kubectl-edit`,
      `${short[0]} 2026-11-20T09:00:00Z created by kubesnap`,
      '',
    ].join('\n'),
  );
  assert.is((await cli('log', 'deployments.apps/web')).stdout, log.stdout);
  const deleted = await cli('log', 'cm/old-config', '-n', 'shop');
  assert.is(deleted.code, 0, deleted.stderr);
  // The commit's trailer names who edited the other objects, not who deleted this one.
  assert.match(deleted.stdout, new RegExp(`^${short[1]} \\S+ deleted\\n${short[0]} \\S+ created by kubesnap\\n$`));
  const patch = await cli('log', paths.web, '-p', '--limit', '1');
  assert.match(
    patch.stdout,
    /^[0-9a-f]{7} \S+ changed \(spec\.replicas\) by kubectl-scale\n    spec\.replicas: 3 → 4\n\ndiff --git/,
  );
  const json = JSON.parse((await cli('log', 'deploy/web', '-n', 'shop', '-o', 'json')).stdout);
  assert.equal(
    json.map((e: any) => [e.commit, e.change, e.manager]),
    [
      [fixture.commits[2], 'changed', 'kubectl-scale'],
      [fixture.commits[1], 'changed', 'kubectl-edit'],
      [fixture.commits[0], 'created', 'kubesnap'],
    ],
  );
  const missing = await cli('log', 'deploy/nope', '-n', 'shop');
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /^error: No object "deploy\/nope" in namespace shop was ever in the repository\.\n$/);
});

history('show: a commit summary, or one object as it was', async ({ cli, fixture }) => {
  const summary = await cli('show', 'HEAD~1');
  assert.is(summary.code, 0, summary.stderr);
  assert.match(
    summary.stdout,
    new RegExp(
      `^commit ${fixture.commits[1]}\\nAuthor: kubesnap <kubesnap@localhost>\\nDate:   2026-11-20T10:00:00Z\\n`,
    ),
  );
  assert.match(summary.stdout, /Kubesnap-Changed-By: kubectl-edit/);
  assert.match(summary.stdout, /1 created, 3 changed, 1 deleted/);
  assert.match(summary.stdout, /spec\.replicas: 2 → 3/);
  assert.not.match(summary.stdout, /^@@/m);
  const root = await cli('show', fixture.commits[0].slice(0, 8));
  assert.match(root.stdout, /5 created, 0 changed, 0 deleted/);
  const object = await cli('show', `HEAD~2:${paths.web}`);
  assert.is(object.code, 0, object.stderr);
  assert.match(object.stdout, /^apiVersion: apps\/v1\nkind: Deployment\n/);
  assert.match(object.stdout, /replicas: 2\n/);
  const atTime = await cli('show', `main@{2999-01-01}:${paths.web}`);
  assert.match(atTime.stdout, /replicas: 4\n/);
  const missing = await cli('show', 'HEAD:shop/nope.yaml');
  assert.is(missing.code, 2);
  assert.is(missing.stderr, "error: The path 'shop/nope.yaml' does not exist in 'HEAD'.\n");
});

history.run();
