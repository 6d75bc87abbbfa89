import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectReader } from '../../lib/store/object-reader.ts';
import { SnapshotRepository, type FileChange } from '../../lib/store/index.ts';
import { git, temporaryDir } from './real-git.ts';

const root = temporaryDir('log-paths');
const author = (timestamp: number) => ({ name: 'kubesnap', email: 'kubesnap@example.com', timestamp });

/** A linear history where folders appear, disappear, and a file becomes a folder of the same name. */
const history: FileChange[][] = [
  [
    { path: 'a/configmaps/x.yaml', content: 'x: 1\n' },
    { path: 'a/configmaps/y.yaml', content: 'y: 1\n' },
    { path: 'b/secrets/s.yaml', content: 's: 1\n' },
  ],
  [{ path: 'a/configmaps/x.yaml', content: 'x: 2\n' }],
  [{ path: 'b/secrets/s.yaml', content: null }],
  [{ path: 'c', content: 'a file\n' }],
  [
    { path: 'c', content: null },
    { path: 'c/configmaps/z.yaml', content: 'z: 1\n' },
  ],
  [
    { path: 'a/configmaps/y.yaml', content: 'y: 2\n' },
    { path: 'b/secrets/s.yaml', content: 's: 2\n' },
  ],
  [{ path: 'a/configmaps/x.yaml', content: null }],
];

async function repositoryWithHistory(name: string): Promise<{ dir: string; repo: SnapshotRepository }> {
  const dir = join(root, name);
  const repo = await SnapshotRepository.open(dir);
  for (const [index, changes] of history.entries())
    await repo.commitChanges(changes, { message: `change ${index}`, author: author(1_800_000_000 + index * 60) });
  return { dir, repo };
}

test('log of paths lists the commits git log -- <paths> lists, however the folders on the way changed', async () => {
  const { dir, repo } = await repositoryWithHistory('as-git.git');
  const pathspecs = [
    ['a'],
    ['a/configmaps'],
    ['a/configmaps/x.yaml'],
    ['a/configmaps/y.yaml'],
    ['b'],
    ['b/secrets/s.yaml'],
    ['c'],
    ['c/configmaps'],
    ['c/configmaps/z.yaml'],
    ['nothing/here.yaml'],
    ['b', 'c/configmaps'],
  ];
  // Twice: the second walk answers from what the first learned.
  for (let round = 0; round < 2; round++) {
    for (const paths of pathspecs) {
      const ours = (await repo.log({ paths })).map((entry) => entry.commit);
      const theirs = git(dir, ['log', '--format=%H', 'main', '--', ...paths])
        .split('\n')
        .filter(Boolean);
      assert.equal(ours, theirs, `log -- ${paths.join(' ')}`);
    }
  }
  await repo.close();
});

test('walking the same history again reads no object, and a branch that moved is read again', async () => {
  const { repo } = await repositoryWithHistory('walk-again.git');
  const first = await repo.log({ path: 'a/configmaps/y.yaml' });
  let reads = 0;
  const read = ObjectReader.prototype.read;
  ObjectReader.prototype.read = function (this: ObjectReader, id: string) {
    reads++;
    return read.call(this, id);
  };
  try {
    assert.equal(await repo.log({ path: 'a/configmaps/y.yaml' }), first);
    assert.is(reads, 0);
    const moved = await repo.commitChanges([{ path: 'a/configmaps/y.yaml', content: 'y: 3\n' }], {
      message: 'change y again',
      author: author(1_900_000_000),
    });
    const again = await repo.log({ path: 'a/configmaps/y.yaml' });
    assert.equal(
      again.map((entry) => entry.commit),
      [moved!.commit, ...first.map((entry) => entry.commit)],
    );
  } finally {
    ObjectReader.prototype.read = read;
  }
  await repo.close();
});

test.run();
