import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { changedPaths, SnapshotRepository } from '../../lib/store/index.ts';
import { git, temporaryDirectory } from '../helpers/processes.ts';
import { historyRepository } from './fixture-repository.ts';

test('changedPaths agrees with git diff --name-status, blob ids included', async () => {
  const fixture = await historyRepository();
  try {
    const [c1, c2, c3] = fixture.commits;
    for (const [from, to] of [
      [c1, c2],
      [c2, c3],
      [c1, c3],
      [c3, c1],
    ]) {
      const ours = await changedPaths(fixture.repository, from, to);
      const raw = (await git(fixture.dir, 'diff', '--raw', '--no-renames', '--abbrev=40', from, to)).trim().split('\n');
      const theirs = raw
        .map((line) => {
          const [meta, path] = line.split('\t');
          const [, , before, after] = meta.split(' ');
          const zero = /^0+$/;
          return { path, ...(zero.test(before) ? {} : { before }), ...(zero.test(after) ? {} : { after }) };
        })
        .sort((a, b) => (a.path < b.path ? -1 : 1));
      assert.equal(ours, theirs);
    }
    const fromEmpty = await changedPaths(fixture.repository, undefined, c1);
    assert.is(fromEmpty.length, 6);
    assert.ok(fromEmpty.every((change) => change.before === undefined && change.after));
  } finally {
    fixture.remove();
  }
});

test('only folders whose tree ids differ are read: unchanged subtrees and blobs may be missing', async () => {
  const tmp = temporaryDirectory();
  try {
    const repository = await SnapshotRepository.open(join(tmp.path, 'repo'), { create: true });
    const author = { name: 't', email: 't@t', timestamp: 1_800_000_000 };
    const many = Array.from({ length: 40 }, (_, i) => ({ path: `big/configmaps/cm-${i}.yaml`, content: `n: ${i}\n` }));
    const first = await repository.commitChanges([...many, { path: 'small/configmaps/a.yaml', content: 'v: 1\n' }], {
      message: 'one',
      author,
    });
    const second = await repository.commitChanges([{ path: 'small/configmaps/a.yaml', content: 'v: 2\n' }], {
      message: 'two',
      author,
    });
    // Remove every object of the unchanged folder "big/" (its trees and blobs): a walk that descends into it fails.
    const bigTree = (await git(repository.gitdir, 'rev-parse', `${first!.commit}:big`)).trim();
    const ids = (await git(repository.gitdir, 'ls-tree', '-r', '-t', bigTree))
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[2]);
    for (const id of [bigTree, ...ids]) rmSync(join(repository.gitdir, 'objects', id.slice(0, 2), id.slice(2)));
    const changes = await changedPaths(repository, first!.commit, second!.commit);
    assert.equal(
      changes.map((c) => c.path),
      ['small/configmaps/a.yaml'],
    );
  } finally {
    tmp.remove();
  }
});

test.run();
