import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RepositoryError } from '../../lib/errors/index.ts';
import { SnapshotRepository } from '../../lib/store/index.ts';
import { fsck, git, temporaryDir } from './real-git.ts';

const root = temporaryDir('open');

async function refused(
  dir: string,
  pattern: RegExp,
  options?: Parameters<typeof SnapshotRepository.open>[1],
): Promise<void> {
  try {
    await SnapshotRepository.open(dir, options);
  } catch (error) {
    assert.instance(error, RepositoryError);
    assert.match((error as Error).message, pattern);
    return;
  }
  assert.unreachable(`opening ${dir} should fail`);
}

test('a missing or empty folder becomes a repository git accepts; opening it again finds it', async () => {
  const created = await SnapshotRepository.open(join(root, 'new.git'));
  assert.is(git(created.gitdir, ['rev-parse', '--is-bare-repository']).trim(), 'true');
  assert.is(git(created.gitdir, ['symbolic-ref', 'HEAD']).trim(), 'refs/heads/main');
  fsck(created.gitdir);
  const again = await SnapshotRepository.open(join(root, 'new.git'), { create: false });
  assert.is(again.gitdir, created.gitdir);

  mkdirSync(join(root, 'empty'));
  const nonBare = await SnapshotRepository.open(join(root, 'empty'), { bare: false, branch: 'snapshots' });
  assert.is(nonBare.bare, false);
  assert.is(nonBare.gitdir, join(root, 'empty', '.git'));
  assert.is(nonBare.branch, 'snapshots');
  assert.is(git(join(root, 'empty'), ['rev-parse', '--is-bare-repository']).trim(), 'false');
  assert.is(git(join(root, 'empty'), ['symbolic-ref', 'HEAD']).trim(), 'refs/heads/snapshots');
});

test('an existing repository keeps its own branch unless one is asked for', async () => {
  const dir = join(root, 'existing');
  git(root, ['init', '-q', '-b', 'develop', dir]);
  const repo = await SnapshotRepository.open(dir);
  assert.is(repo.bare, false);
  assert.is(repo.branch, 'develop');
  assert.is((await SnapshotRepository.open(dir, { branch: 'kubesnap' })).branch, 'kubesnap');
  await refused(dir, /not a valid branch name/, { branch: 'bad..name' });
});

test('a file, a non-empty folder that is not git, a missing folder with create: false, a corrupt HEAD are refused', async () => {
  writeFileSync(join(root, 'file'), 'x');
  await refused(join(root, 'file'), /is a file/);
  mkdirSync(join(root, 'stuff'));
  writeFileSync(join(root, 'stuff', 'notes.txt'), 'x');
  await refused(join(root, 'stuff'), /not a git repository and is not empty/);
  assert.equal(readFileSync(join(root, 'stuff', 'notes.txt'), 'utf8'), 'x');
  await refused(join(root, 'absent'), /no git repository/, { create: false });
  const broken = join(root, 'broken.git');
  git(root, ['init', '-q', '--bare', broken]);
  writeFileSync(join(broken, 'HEAD'), 'garbage\n');
  await refused(broken, /corrupt HEAD/);
});

test('a repository whose creation stopped before HEAD (a kill, or an older kubesnap on a full disk) is created again', async () => {
  const config = '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = true\n';
  const description = 'Kubernetes configuration history written by kubesnap.\n';
  const left = {
    'no HEAD': { config, description },
    'an empty HEAD': { config, description, HEAD: '' },
    'a config cut short': { config: config.slice(0, 20) },
    'debris of a failed write beside': {
      config,
      description,
      HEAD: '',
      'objects/pack/tmp_idx_0123456789ab': 'x',
      'objects/17/tmp_obj_0123456789ab': '',
      'kubesnap.lock.4242.0badf00d': '',
    },
  };
  for (const [what, files] of Object.entries(left)) {
    const dir = join(root, `unfinished-${what.replace(/\W+/g, '-')}`);
    for (const sub of ['objects/pack', 'refs/heads', 'info']) mkdirSync(join(dir, sub), { recursive: true });
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    const repo = await SnapshotRepository.open(dir);
    assert.is(repo.gitdir, dir, what);
    assert.is(git(dir, ['symbolic-ref', 'HEAD']).trim(), 'refs/heads/main', what);
    fsck(dir);
  }

  const nonBare = join(root, 'unfinished-work-tree');
  mkdirSync(join(nonBare, '.git', 'objects'), { recursive: true });
  writeFileSync(
    join(nonBare, '.git', 'config'),
    '[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n',
  );
  const repo = await SnapshotRepository.open(nonBare);
  assert.is(repo.bare, false);
  assert.is(git(nonBare, ['rev-parse', '--is-bare-repository']).trim(), 'false');
});

test('a folder that is not only an unfinished repository is still refused', async () => {
  const withRef = join(root, 'with-ref');
  mkdirSync(join(withRef, 'refs', 'heads'), { recursive: true });
  mkdirSync(join(withRef, 'objects'));
  writeFileSync(join(withRef, 'refs', 'heads', 'main'), `${'1'.repeat(40)}\n`);
  writeFileSync(join(withRef, 'HEAD'), '');
  await refused(withRef, /corrupt HEAD/);
  const withNotes = join(root, 'with-notes');
  mkdirSync(join(withNotes, 'objects'), { recursive: true });
  writeFileSync(join(withNotes, 'notes.txt'), 'x');
  await refused(withNotes, /not a git repository and is not empty/);
  const foreignConfig = join(root, 'foreign-config');
  mkdirSync(join(foreignConfig, 'objects'), { recursive: true });
  writeFileSync(join(foreignConfig, 'config'), '[core]\n\tbare = true\n[remote "origin"]\n');
  await refused(foreignConfig, /not a git repository and is not empty/);
});

test.after(() => rmSync(root, { recursive: true, force: true }));
test.run();
