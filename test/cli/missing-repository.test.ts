// A command that only reads the repository, given a --repo that does not exist, says so (exit 2) and creates nothing;
// `images` used to create an empty bare repository there and then fail with "unknown revision 'HEAD'". Each takes
// --prefix (one definition in cli/options/repository.ts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { temporaryDirectory } from '../helpers/processes.ts';

const tmp = temporaryDirectory('kubesnap-missing-repo-');
const test = suite('a reading command on a missing --repo');

const readers: Array<[string, string[]]> = [
  ['images', ['images']],
  ['images mirror', ['images', 'mirror', '--to', '127.0.0.1:1']],
  ['show', ['show']],
  ['log', ['log']],
  ['diff', ['diff']],
  ['restore', ['restore']],
  ['serve', ['serve']],
];

for (const [name, args] of readers) {
  test(`${name} --prefix: one sentence, exit 2, nothing created`, async () => {
    const repo = join(tmp.path, name.replace(' ', '-'));
    const result = await runCli([...args, '--prefix', 'clusters/prod', '--repo', repo], { cwd: tmp.path });
    assert.is(result.code, 2, result.stderr);
    assert.is(result.stderr, `error: There is no git repository at ${repo}.\n`);
    assert.not.ok(existsSync(repo), `${repo} was created`);
  });
}

test.after(() => tmp.remove());
test.run();
