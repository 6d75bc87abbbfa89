import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RepositoryError } from '../../lib/errors/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { fsck, git, temporaryDir } from './real-git.ts';

const root = temporaryDir('repository');
const author = (timestamp: number) => ({
  name: 'kubesnap',
  email: 'kubesnap@example.com',
  timestamp,
  timezoneOffset: -60,
});

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.instance(error, RepositoryError);
    assert.match((error as Error).message, pattern);
    return error as Error;
  }
  throw new Error(`expected a RepositoryError matching ${pattern}`);
}

test('a new bare repository takes a first commit that real git reads', async () => {
  const dir = join(root, 'first.git');
  const repo = await SnapshotRepository.open(dir);
  assert.is(repo.bare, true);
  assert.is(repo.gitdir, dir);
  assert.is(repo.branch, 'main');
  assert.is(await repo.head(), undefined);
  const result = await repo.commitChanges(
    [
      { path: 'README.md', content: '# snapshot\n' },
      { path: 'shop/configmaps/web.yaml', content: Buffer.from('apiVersion: v1\nkind: ConfigMap\n') },
      { path: '_cluster/namespaces/shop.yaml', content: 'kind: Namespace\n' },
    ],
    { message: 'First snapshot\n\nThree objects.', author: author(1_800_000_000) },
  );
  assert.ok(result);
  assert.is(result.changed, 3);
  assert.is(await repo.head(), result.commit);
  assert.is(git(dir, ['rev-parse', 'main']).trim(), result.commit);
  assert.is(git(dir, ['rev-parse', 'HEAD^{tree}']).trim(), result.tree);
  assert.is(
    git(dir, ['log', '--format=%an <%ae> %at %ai|%s|%b']).trim(),
    'kubesnap <kubesnap@example.com> 1800000000 2027-01-15 09:00:00 +0100|First snapshot|Three objects.',
  );
  assert.is(git(dir, ['show', 'HEAD:shop/configmaps/web.yaml']), 'apiVersion: v1\nkind: ConfigMap\n');
  assert.is(
    git(dir, ['ls-tree', '-r', '--name-only', 'HEAD']).trim().split('\n').join(','),
    'README.md,_cluster/namespaces/shop.yaml,shop/configmaps/web.yaml',
  );
  fsck(dir);
  assert.match(git(dir, ['reflog', 'show', '--format=%gs', 'main']), /commit \(initial\): First snapshot/);
});

test('a second commit with changes and deletions; nothing changed means no commit', async () => {
  const dir = join(root, 'second.git');
  const repo = await SnapshotRepository.open(dir);
  const first = await repo.commitChanges(
    [
      { path: 'a/one.yaml', content: '1\n' },
      { path: 'a/two.yaml', content: '2\n' },
      { path: 'b/three.yaml', content: '3\n' },
    ],
    { message: 'one', author: author(1_800_000_000) },
  );
  const second = await repo.commitChanges(
    [
      { path: 'a/one.yaml', content: 'one\n' },
      { path: 'b/three.yaml', content: null },
      { path: 'c/four.yaml', content: '4\n' },
      { path: 'missing.yaml', content: null },
    ],
    { message: 'two', author: author(1_800_000_100) },
  );
  assert.ok(first && second);
  assert.is(second.changed, 3);
  assert.is(git(dir, ['rev-parse', 'HEAD~1']).trim(), first.commit);
  assert.is(
    git(dir, ['diff', '--name-status', 'HEAD~1', 'HEAD']).trim(),
    'M\ta/one.yaml\nD\tb/three.yaml\nA\tc/four.yaml',
  );
  assert.is(git(dir, ['ls-tree', '--name-only', 'HEAD']).trim(), 'a\nc');
  fsck(dir);

  assert.is(
    await repo.commitChanges([{ path: 'a/one.yaml', content: 'one\n' }], {
      message: 'same',
      author: author(1_800_000_200),
    }),
    undefined,
  );
  assert.is(await repo.commitChanges([], { message: 'nothing', author: author(1_800_000_200) }), undefined);
  assert.is(await repo.head(), second.commit);
  const empty = await repo.commitChanges([], { message: 'marker', author: author(1_800_000_300), allowEmpty: true });
  assert.ok(empty);
  assert.is(empty.tree, second.tree);
  assert.is(git(dir, ['rev-list', '--count', 'HEAD']).trim(), '3');
});

test('replaceAll deletes every file not listed, and folders left empty', async () => {
  const dir = join(root, 'replace.git');
  const repo = await SnapshotRepository.open(dir);
  await repo.commitChanges(
    [
      { path: 'x/1.yaml', content: '1' },
      { path: 'y/2.yaml', content: '2' },
      { path: 'y/z/3.yaml', content: '3' },
    ],
    { message: 'all', author: author(1_800_000_000) },
  );
  const result = await repo.commitChanges([{ path: 'y/2.yaml', content: 'two' }], {
    message: 'replace',
    author: author(1_800_000_100),
    replaceAll: true,
  });
  assert.equal(result?.changed, 3);
  assert.is(git(dir, ['ls-tree', '-r', '--name-only', 'HEAD']).trim(), 'y/2.yaml');
  assert.is(
    await repo.commitChanges([{ path: 'y/2.yaml', content: 'two' }], {
      message: 'again',
      author: author(1_800_000_200),
      replaceAll: true,
    }),
    undefined,
  );
  fsck(dir);
});

test('tree entries are in git order: "a.yaml" < "a/" < "a0", non-ASCII names by their UTF-8 bytes', async () => {
  const dir = join(root, 'order.git');
  const repo = await SnapshotRepository.open(dir);
  const names = ['a/x.yaml', 'a.yaml', 'a0', 'a-b', 'A', 'é.yaml', '\u{1F600}.yaml', '\uFF21.yaml', 'z/é/ü.yaml'];
  const result = await repo.commitChanges(
    names.map((path) => ({ path, content: path })),
    { message: 'order', author: author(1_800_000_000) },
  );
  fsck(dir);
  assert.equal([...(await repo.readFiles()).keys()].sort(), [...names].sort());
  assert.is(git(dir, ['-c', 'core.quotePath=false', 'show', 'HEAD:z/é/ü.yaml']), 'z/é/ü.yaml');
  // Patching a tree in place (same names, new ids) must give what git would compute from scratch.
  const next = await repo.commitChanges(
    [
      { path: 'a.yaml', content: 'changed' },
      { path: '\u{1F600}.yaml', content: 'changed too' },
    ],
    { message: 'patch', author: author(1_800_000_100) },
  );
  assert.ok(result && next);
  assert.is(
    git(dir, ['-c', 'core.quotePath=false', 'ls-tree', 'HEAD']).split('\n').length,
    git(dir, ['ls-tree', result.commit]).split('\n').length,
  );
  git(dir, ['read-tree', '--index-output=' + join(root, 'order.index'), 'HEAD']);
  assert.is(git(dir, ['write-tree'], { GIT_INDEX_FILE: join(root, 'order.index') }).trim(), next.tree);
  fsck(dir);
});

test('paths that could escape the repository are refused before anything is written', async () => {
  const dir = join(root, 'paths.git');
  const repo = await SnapshotRepository.open(dir);
  for (const path of [
    '../evil.yaml',
    'a/../../evil.yaml',
    '/etc/passwd',
    'a//b.yaml',
    '.git/config',
    'a/.GIT/x',
    'nul\0byte',
    'a/./b',
    'trailing/',
    '',
  ]) {
    await rejects(
      repo.commitChanges([{ path, content: 'x' }], { message: 'bad', author: author(1_800_000_000) }),
      /Refusing the path/,
    );
  }
  assert.is(await repo.head(), undefined);
  assert.is(git(dir, ['count-objects']).trim(), '0 objects, 0 kilobytes');
});

test('reading back: readFiles, readBlob, readFile, log with a path, limit', async () => {
  const dir = join(root, 'read.git');
  const repo = await SnapshotRepository.open(dir);
  const commits: string[] = [];
  for (let i = 0; i < 4; i++) {
    const changes = [{ path: 'shop/deployments.apps/web.yaml', content: `replicas: ${i}\n` }];
    if (i % 2 === 0) changes.push({ path: `shop/configmaps/c${i}.yaml`, content: `c${i}\n` });
    const result = await repo.commitChanges(changes, {
      message: `commit ${i}`,
      author: author(1_800_000_000 + i * 100),
    });
    commits.push(result!.commit);
  }
  const files = await repo.readFiles();
  assert.equal([...files.keys()].sort(), [
    'shop/configmaps/c0.yaml',
    'shop/configmaps/c2.yaml',
    'shop/deployments.apps/web.yaml',
  ]);
  assert.is(files.get('shop/configmaps/c2.yaml'), git(dir, ['rev-parse', 'HEAD:shop/configmaps/c2.yaml']).trim());
  assert.equal([...(await repo.readFiles(commits[0])).keys()].sort(), [
    'shop/configmaps/c0.yaml',
    'shop/deployments.apps/web.yaml',
  ]);
  assert.is((await repo.readBlob(files.get('shop/configmaps/c0.yaml')!)).toString(), 'c0\n');
  assert.is((await repo.readFile('HEAD~2', 'shop/deployments.apps/web.yaml'))?.toString(), 'replicas: 1\n');
  assert.is(await repo.readFile('HEAD', 'shop/nothing.yaml'), undefined);
  assert.is(await repo.readFile('HEAD', 'shop'), undefined);

  const log = await repo.log();
  assert.equal(
    log.map((entry) => entry.commit),
    [...commits].reverse(),
  );
  assert.is(log[0].message, 'commit 3\n');
  assert.equal(log[0].parents, [commits[2]]);
  assert.equal(log[3].parents, []);
  assert.equal(log[0].author, {
    name: 'kubesnap',
    email: 'kubesnap@example.com',
    timestamp: 1_800_000_300,
    timezoneOffset: -60,
  });
  assert.is(log[0].tree, git(dir, ['rev-parse', 'HEAD^{tree}']).trim());
  assert.equal(
    (await repo.log({ path: 'shop/configmaps' })).map((entry) => entry.message),
    ['commit 2\n', 'commit 0\n'],
  );
  assert.equal(
    (await repo.log({ path: 'shop/configmaps/c0.yaml' })).map((entry) => entry.message),
    ['commit 0\n'],
  );
  assert.equal(
    (await repo.log({ limit: 2, ref: 'HEAD~1' })).map((entry) => entry.commit),
    [commits[2], commits[1]],
  );
});

test('resolve: HEAD~N, HEAD^, short ids, branches, tags made with real git, branch@{date}; commitAt', async () => {
  const dir = join(root, 'resolve.git');
  const repo = await SnapshotRepository.open(dir);
  const commits: string[] = [];
  for (let i = 0; i < 3; i++) {
    const result = await repo.commitChanges([{ path: 'f.yaml', content: `${i}\n` }], {
      message: `c${i}`,
      author: author(1_800_000_000 + i * 3600),
    });
    commits.push(result!.commit);
  }
  assert.is(await repo.resolve('HEAD'), commits[2]);
  assert.is(await repo.resolve('main'), commits[2]);
  assert.is(await repo.resolve('refs/heads/main'), commits[2]);
  assert.is(await repo.resolve('HEAD~1'), commits[1]);
  assert.is(await repo.resolve('HEAD^'), commits[1]);
  assert.is(await repo.resolve('main~2'), commits[0]);
  assert.is(await repo.resolve('HEAD^^'), commits[0]);
  assert.is(await repo.resolve(commits[1]), commits[1]);
  assert.is(await repo.resolve(commits[1].slice(0, 7)), commits[1]);
  git(dir, ['tag', 'light', commits[0]]);
  git(dir, ['tag', '-a', '-m', 'annotated', 'v1', commits[1]]);
  assert.is(await repo.resolve('light'), commits[0]);
  assert.is(await repo.resolve('v1'), commits[1]);
  assert.is(await repo.resolve('tags/v1'), commits[1]);
  assert.is(await repo.resolve('v1~1'), commits[0]);

  // The reflog has the real times of the ref updates (now), not the commit dates: compare with git itself.
  for (const rev of ['main@{0}', 'main@{1}', 'main@{2}', 'main@{now}', 'main@{2001-01-01}', 'HEAD@{1}']) {
    assert.is(await repo.resolve(rev), git(dir, ['rev-parse', rev]).trim(), rev);
  }

  for (const rev of ['nope', 'HEAD~3', 'HEAD^2', 'deadbeef', 'main@{5}', 'main@{not a date}', 'config', '../HEAD']) {
    await rejects(repo.resolve(rev), /unknown revision/);
  }

  assert.is(await repo.commitAt(new Date(1_800_000_000_000)), commits[0]);
  assert.is(await repo.commitAt(new Date(1_800_000_000_000 + 3599_000)), commits[0]);
  assert.is(await repo.commitAt(new Date(1_800_000_000_000 + 3600_000)), commits[1]);
  assert.is(await repo.commitAt(new Date(1_900_000_000_000)), commits[2]);
  assert.is(await repo.commitAt(new Date(1_700_000_000_000)), undefined);
  assert.is(await repo.commitAt(new Date(1_900_000_000_000), 'v1'), commits[1]);
});

test('a repository made and packed by real git: read it (deltas, packed-refs) and commit on top', async () => {
  const dir = join(root, 'real');
  git(root, ['init', '-q', '-b', 'trunk', '--bare', dir]);
  const work = join(root, 'real-work');
  git(root, ['clone', '-q', dir, work]);
  const big = Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join('');
  for (let i = 0; i < 3; i++) {
    git(work, ['-c', 'core.autocrlf=false', 'checkout', '-q', '-B', 'trunk']);
    await import('node:fs').then((fs) => {
      fs.mkdirSync(join(work, 'ns'), { recursive: true });
      fs.writeFileSync(join(work, 'ns', 'big.yaml'), `${big}rev ${i}\n`);
    });
    git(work, ['add', '-A']);
    git(work, ['commit', '-q', '-m', `git ${i}`]);
  }
  git(work, ['push', '-q', 'origin', 'trunk']);
  git(dir, ['gc', '-q', '--aggressive']);
  const repo = await SnapshotRepository.open(dir);
  assert.is(repo.branch, 'trunk');
  assert.is(await repo.head(), git(dir, ['rev-parse', 'trunk']).trim());
  assert.is((await repo.readFile('HEAD~2', 'ns/big.yaml'))?.toString(), `${big}rev 0\n`);
  assert.equal(
    (await repo.log()).map((entry) => entry.message),
    ['git 2\n', 'git 1\n', 'git 0\n'],
  );
  const result = await repo.commitChanges([{ path: 'ns/other.yaml', content: 'x\n' }], {
    message: 'kubesnap on top',
    author: author(1_800_000_000),
  });
  assert.is(git(dir, ['rev-parse', 'trunk~1']).trim(), (await repo.log())[1].commit);
  assert.is(git(dir, ['rev-parse', 'trunk']).trim(), result?.commit);
  assert.is(git(dir, ['show', 'trunk:ns/big.yaml']), `${big}rev 2\n`);
  fsck(dir);
});

test('an instance finds by its full id a commit another instance packed after it last looked at the packs', async () => {
  const dir = join(root, 'two-instances.git');
  const writer = await SnapshotRepository.open(dir);
  const reader = await SnapshotRepository.open(dir);
  const files = (round: number) =>
    Array.from({ length: 200 }, (_, i) => ({ path: `ns/f-${i}.yaml`, content: `${round} ${i}\n` }));
  await writer.commitChanges(files(1), { message: 'one', author: author(1_800_000_000) });
  assert.is((await reader.readFiles()).size, 200);
  const second = await writer.commitChanges(files(2), { message: 'two', author: author(1_800_000_001) });
  assert.is(await reader.resolve(second!.commit), second!.commit);
});

test('commits started together on one instance run one after the other', async () => {
  const dir = join(root, 'concurrent.git');
  const repo = await SnapshotRepository.open(dir);
  const results = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      repo.commitChanges([{ path: `f${i}.yaml`, content: `${i}\n` }], {
        message: `c${i}`,
        author: author(1_800_000_000 + i),
      }),
    ),
  );
  assert.is(git(dir, ['rev-list', '--count', 'main']).trim(), '5');
  assert.is(git(dir, ['rev-parse', 'main']).trim(), results[4]?.commit);
  await rejects(repo.readBlob('../../config'), /not an object id/);
  fsck(dir);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
