// git's revision syntax where kubesnap reads revisions: ranges, pathspecs after --, log's counts, --at as git reads times.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { git } from '../helpers/processes.ts';
import { historyRepository, paths } from '../diff/fixture-repository.ts';

type Fixture = Awaited<ReturnType<typeof historyRepository>>;
const syntax = suite<{ fixture: Fixture; cli(...args: string[]): ReturnType<typeof runCli> }>('git revision syntax');

syntax.before(async (context) => {
  context.fixture = await historyRepository();
  context.cli = (...args) => runCli(['--repo', context.fixture.dir, ...args]);
});
syntax.after((context) => context.fixture?.remove());

const json = (result: { code: number | null; stdout: string; stderr: string }) => {
  assert.is(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
};

syntax('diff A..B is diff A B; diff -o is --format', async ({ cli }) => {
  const range = await cli('diff', 'HEAD~2..HEAD', '-o', 'json');
  assert.is(range.code, 0, range.stderr);
  assert.is(range.stdout, (await cli('diff', 'HEAD~2', 'HEAD', '--format', 'json')).stdout);
  assert.is(
    (await cli('diff', 'HEAD~1..', '-o', 'json')).stdout,
    (await cli('diff', 'HEAD~1', 'HEAD', '-o', 'json')).stdout,
  );
  const twice = await cli('diff', 'HEAD~2..HEAD', 'HEAD~1');
  assert.is(twice.code, 2);
  assert.is(twice.stderr, 'error: "HEAD~2..HEAD" is a range already; give it alone, or two revisions.\n');
});

syntax('diff A...B starts where A and B parted, as git diff does', async ({ cli, fixture }) => {
  // A branch off the first commit: its merge base with main is that commit.
  const tree = (await git(fixture.dir, 'rev-parse', 'HEAD~1^{tree}')).trim();
  const side = (await git(fixture.dir, 'commit-tree', tree, '-p', 'HEAD~2', '-m', 'side')).trim();
  await git(fixture.dir, 'update-ref', 'refs/heads/side', side);
  const mergeBase = (await git(fixture.dir, 'merge-base', 'HEAD', 'side')).trim();
  assert.is(mergeBase, fixture.commits[0]);
  const toSide = json(await cli('diff', 'HEAD...side', '-o', 'json'));
  assert.equal([toSide.from.commit, toSide.to.commit], [mergeBase, side]);
  const toMain = json(await cli('diff', 'side...HEAD', '-o', 'json'));
  assert.equal([toMain.from.commit, toMain.to.commit], [mergeBase, fixture.commits[2]]);
});

syntax('pathspecs after --: diff REV -- shop/, log -- payments/', async ({ cli, fixture }) => {
  const payments = json(await cli('diff', 'HEAD~2', '-o', 'json', '--', 'payments/'));
  assert.equal(
    payments.objects.map((o: { path: string }) => o.path),
    [paths.payments],
  );
  const two = json(await cli('diff', 'HEAD~2', 'HEAD', '-o', 'json', '--', 'shop/deployments.apps', paths.payments));
  assert.equal(two.objects.map((o: { path: string }) => o.path).sort(), [paths.payments, paths.web]);
  const log = json(await cli('log', '-o', 'json', '--', 'payments/'));
  assert.equal(
    log.map((entry: { commit: string }) => entry.commit),
    [fixture.commits[2], fixture.commits[0]],
  );
  const deployments = json(await cli('log', '-o', 'json', '--', 'shop/deployments.apps/'));
  assert.is(deployments.length, 3);
  const both = await cli('log', 'deploy/web', '--', 'shop/');
  assert.is(both.code, 2);
});

syntax(
  'log -n1, -n 1 and -1 are counts as in git; -n NAME and --namespace are namespaces',
  async ({ cli, fixture }) => {
    const newest = `${fixture.commits[2].slice(0, 7)} `;
    for (const args of [['-n1'], ['-n', '1'], ['-1'], ['--max-count', '1'], ['--limit', '1']]) {
      const result = await cli('log', ...args);
      assert.is(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.is(result.stdout.split('\n').filter(Boolean).length, 1, args.join(' '));
      assert.ok(result.stdout.startsWith(newest), args.join(' '));
    }
    assert.is((await cli('log', '-2')).stdout.split('\n').filter(Boolean).length, 2);
    const ofWeb = await cli('log', 'deploy/web', '-n', 'shop', '-n1');
    assert.is(ofWeb.stdout, `${newest}2026-11-20T11:00:00Z changed (spec.replicas) by kubectl-scale\n`);
    // A namespace named with digits only is --namespace's, never taken from -n.
    const numeric = await cli('log', '--namespace', '1');
    assert.is(numeric.code, 0, numeric.stderr);
    assert.is(numeric.stdout, '');
  },
);

syntax('--at takes git\'s times: 1h, yesterday, "2 hours ago", ISO', async ({ cli, fixture }) => {
  // Every commit is older than a day, so each of these names the head.
  for (const at of ['1h', 'yesterday', '2 hours ago', '2.hours.ago', '3d']) {
    const result = json(await cli('diff', '--at', at, 'HEAD', '-o', 'json'));
    assert.is(result.from.commit, fixture.commits[2], at);
  }
  const iso = json(await cli('diff', '--at', '2026-11-20T10:30Z', '-o', 'json'));
  assert.is(iso.from.commit, fixture.commits[1]);
  const bad = await cli('diff', '--at', 'soonish');
  assert.is(bad.code, 2);
  assert.is(
    bad.stderr,
    'error: --at "soonish" is not a time (e.g. 2026-11-20T10:00Z, yesterday, "2 hours ago", 1h).\n',
  );
});

syntax.run();
