import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { diffRevisions, renderMarkdown } from '../../lib/diff/index.ts';
import { runCli } from '../helpers/cli.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { digest, historyRepository, paths } from './fixture-repository.ts';

type Fixture = Awaited<ReturnType<typeof historyRepository>>;
const diff = suite<{ fixture: Fixture; cli(...args: string[]): ReturnType<typeof runCli> }>('diff between revisions');

diff.before(async (context) => {
  context.fixture = await historyRepository();
  context.cli = (...args) => runCli(['--repo', context.fixture.dir, ...args]);
});
diff.after((context) => context.fixture?.remove());

diff('a change set: created, changed and deleted objects, a CRD and a Secret, sorted by path', async ({ fixture }) => {
  const changeSet = await diffRevisions({ repository: fixture.repository, from: 'HEAD~2', to: 'HEAD~1' });
  assert.equal(
    changeSet.objects.map((o) => [o.change, o.path]),
    [
      ['created', paths.crd],
      ['deleted', paths.oldConfig],
      ['changed', paths.web],
      ['changed', paths.creds],
      ['changed', paths.widget],
    ].sort((a, b) => (a[1] < b[1] ? -1 : 1)),
  );
  assert.equal(changeSet.from, { label: 'HEAD~2', commit: fixture.commits[0] });
  const crd = changeSet.objects.find((o) => o.path === paths.crd)!;
  assert.equal(
    [crd.kind, crd.group, crd.namespace, crd.name],
    ['CustomResourceDefinition', 'apiextensions.k8s.io', undefined, 'gadgets.example.com'],
  );
});

diff('text: summary per namespace and kind, field changes, unified YAML diff, no colour off a TTY', async ({ cli }) => {
  const result = await cli('diff', 'HEAD~2', 'HEAD~1');
  assert.is(result.code, 0, result.stderr);
  const out = result.stdout;
  assert.match(out, /^HEAD~2 \([0-9a-f]{7}\) → HEAD~1 \([0-9a-f]{7}\): 1 created, 3 changed, 1 deleted\n/);
  assert.match(out, /\(cluster\)\s+CustomResourceDefinition\.apiextensions\.k8s\.io\s+1\s+0\s+0/);
  assert.match(out, /shop\s+ConfigMap\s+0\s+0\s+1/);
  assert.match(out, /shop\s+Deployment\.apps\s+0\s+1\s+0/);
  assert.match(
    out,
    /changed Deployment\.apps shop\/web  shop\/deployments\.apps\/web\.yaml\n  spec\.replicas: 2 → 3\n  spec\.template\.spec\.containers\[web\]\.image: shop:v1 → shop:v2\n/,
  );
  assert.match(out, /-  replicas: 2\n\+  replicas: 3\n/);
  assert.match(out, /created CustomResourceDefinition\.apiextensions\.k8s\.io gadgets\.example\.com/);
  assert.match(
    out,
    /\+\+\+ b\/_cluster\/customresourcedefinitions\.apiextensions\.k8s\.io\/gadgets\.example\.com\.yaml/,
  );
  assert.match(out, /deleted ConfigMap shop\/old-config/);
  assert.match(out, /changed Widget\.example\.com shop\/blue[^\n]*\n  spec\.size: 1 → 2/);
  assert.match(out, new RegExp(`data\\.password: ${digest('a')} → ${digest('b')}`));
  assert.not.match(out, /\x1b\[/);
});

diff('markdown: a summary table and one <details> per object with its fields and a diff block', async ({ fixture }) => {
  const out = renderMarkdown(await diffRevisions({ repository: fixture.repository, from: 'HEAD~2', to: 'HEAD~1' }));
  assert.match(
    out,
    /\| Namespace \| Kind \| Created \| Changed \| Deleted \|\n\| --- \| --- \| ---: \| ---: \| ---: \|\n/,
  );
  assert.match(out, /\| _\(cluster\)_ \| CustomResourceDefinition\.apiextensions\.k8s\.io \| 1 \| 0 \| 0 \|/);
  assert.is(out.match(/<details>/g)!.length, 5);
  assert.is(out.match(/<\/details>/g)!.length, 5);
  assert.match(
    out,
    /<summary><b>changed<\/b> Deployment\.apps <code>shop\/web<\/code><\/summary>\n\nPath: <code>shop\/deployments\.apps\/web\.yaml<\/code>\n\n- <code>spec\.replicas: 2 → 3<\/code>\n/,
  );
  assert.match(out, /```diff\ndiff --git a\/shop\/deployments\.apps\/web\.yaml/);
  assert.match(out, /<summary><b>deleted<\/b> ConfigMap <code>shop\/old-config<\/code><\/summary>/);
});

diff('json: identities, change types and RFC 6902 operations, in path order', async ({ cli, fixture }) => {
  const result = await cli('diff', '--format', 'json', 'HEAD~2', 'HEAD~1');
  assert.is(result.code, 0, result.stderr);
  const document = JSON.parse(result.stdout);
  assert.is(document.schema, 'kubesnap.diff/v1');
  assert.equal(document.from, { revision: 'HEAD~2', commit: fixture.commits[0] });
  assert.equal(
    { created: document.summary.created, changed: document.summary.changed, deleted: document.summary.deleted },
    { created: 1, changed: 3, deleted: 1 },
  );
  const byPath = new Map(document.objects.map((o: any) => [o.path, o]));
  assert.equal(
    document.objects.map((o: any) => o.path),
    [...byPath.keys()].sort(),
  );
  const web: any = byPath.get(paths.web);
  assert.equal(
    { group: web.group, kind: web.kind, namespace: web.namespace, name: web.name, change: web.change },
    { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web', change: 'changed' },
  );
  assert.equal(web.operations, [
    { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'shop:v2' },
    { op: 'replace', path: '/spec/replicas', value: 3 },
  ]);
  const crd: any = byPath.get(paths.crd);
  assert.equal([crd.change, crd.namespace, crd.kind], ['created', null, 'CustomResourceDefinition']);
  assert.ok(crd.operations.some((op: any) => op.op === 'add' && op.path === '/spec'));
  const creds: any = byPath.get(paths.creds);
  assert.equal(creds.operations, [{ op: 'replace', path: '/data/password', value: digest('b') }]);
  assert.is((byPath.get(paths.oldConfig) as any).change, 'deleted');
  // The same output twice: stable.
  assert.is((await cli('diff', '--format', 'json', 'HEAD~2', 'HEAD~1')).stdout, result.stdout);
});

diff('defaults: HEAD~1 against HEAD; --exit-code says whether anything differs', async ({ cli }) => {
  const result = await cli('diff', '--exit-code');
  assert.is(result.code, 1, result.stderr);
  assert.match(result.stdout, /^HEAD~1 \([0-9a-f]{7}\) → HEAD \([0-9a-f]{7}\): 0 created, 2 changed, 0 deleted/);
  assert.match(result.stdout, /spec\.replicas: 3 → 4/);
  const same = await cli('diff', 'HEAD', 'main', '--exit-code');
  assert.is(same.code, 0, same.stderr);
  assert.match(same.stdout, /^No differences/);
  assert.is((await cli('diff', 'HEAD~2')).code, 0, 'without --exit-code differences are not an error');
});

diff('time-based revisions: --at takes the last commit at or before the time', async ({ cli, fixture }) => {
  const json = async (...args: string[]) => {
    const result = await cli('diff', '--format', 'json', ...args);
    assert.is(result.code, 0, result.stderr);
    return JSON.parse(result.stdout);
  };
  const sinceHalfPastTen = await json('--at', '2026-11-20T10:30:00Z');
  assert.is(sinceHalfPastTen.from.commit, fixture.commits[1]);
  assert.is(sinceHalfPastTen.to.commit, fixture.commits[2]);
  assert.equal(
    sinceHalfPastTen.objects.map((o: any) => o.path),
    [paths.payments, paths.web],
  );
  const exactlyNine = await json('--at', '2026-11-20T09:00:00Z', 'HEAD~1');
  assert.is(exactlyNine.from.commit, fixture.commits[0]);
  assert.is(exactlyNine.to.commit, fixture.commits[1]);
  const before = await cli('diff', '--at', '2026-11-20T08:00:00Z');
  assert.is(before.code, 2);
  assert.is(before.stderr, 'error: There is no commit at or before 2026-11-20T08:00:00Z.\n');
  const badTime = await cli('diff', '--at', 'teatime');
  assert.is(badTime.code, 2);
  assert.match(badTime.stderr, /^error: --at "teatime" is not a time/);
});

diff('errors are one sentence and exit 2, even with --exit-code', async ({ cli }) => {
  const unknown = await cli('diff', 'no-such-branch', '--exit-code');
  assert.is(unknown.code, 2);
  assert.is(unknown.stderr, "error: unknown revision 'no-such-branch'\n");
  assert.is((await cli('diff', 'HEAD~9')).code, 2);
  const tmp = temporaryDirectory();
  try {
    const notRepo = await runCli(['--repo', tmp.path, 'diff', '--exit-code']);
    assert.is(notRepo.code, 2);
    assert.is(notRepo.stderr.split('\n').filter(Boolean).length, 1);
    assert.match(notRepo.stderr, /^error: There is no git repository at /);
  } finally {
    tmp.remove();
  }
});

diff('filters: namespace, kinds, labels and path globs', async ({ fixture }) => {
  const pathsOf = async (filter: Parameters<typeof diffRevisions>[0]['filter']) =>
    (await diffRevisions({ repository: fixture.repository, from: 'HEAD~2', to: 'HEAD', filter })).objects.map(
      (o) => o.path,
    );
  assert.equal(await pathsOf({ selection: { namespaces: ['payments'] } }), [paths.payments]);
  assert.equal(await pathsOf({ selection: { include: ['deploy'] } }), [paths.web]);
  assert.equal(await pathsOf({ selection: { include: ['crd', 'Widget'] } }), [paths.crd, paths.widget]);
  assert.equal(await pathsOf({ selection: { include: ['widgets.example.com'] } }), [paths.widget]);
  assert.equal(await pathsOf({ selection: { exclude: ['secrets', 'configmaps'], excludeNamespaces: ['pay*'] } }), [
    paths.crd,
    paths.web,
    paths.widget,
  ]);
  assert.equal(await pathsOf({ selection: { labelSelector: 'app=web' } }), [paths.web]);
  assert.equal(await pathsOf({ paths: ['shop/secrets/*', '_cluster/**'] }), [paths.crd, paths.creds]);
});

diff.run();
