// What `npm run knip` holds the code to (knip.json, issue 21): an export nobody imports is an error, unless a test
// imports it or its own file uses it; the worker files, the CLI and the tests are where the module graph starts.
// It runs the real knip with the repository's knip.json in a small git work tree of its own.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git, run, temporaryDirectory } from '../helpers/processes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const knip = join(root, 'node_modules/.bin/knip');

interface KnipReport {
  issues: Array<{ file: string; exports: Array<{ name: string }>; files: unknown[] }>;
}

test('an export nobody imports is reported; one a test, a worker file or its own file uses is not', async () => {
  const tree = temporaryDirectory('kubesnap-knip-');
  try {
    await git(tree.path, 'init', '-q');
    copyFileSync(join(root, 'knip.json'), join(tree.path, 'knip.json'));
    const files: Record<string, string> = {
      'package.json': '{ "name": "tree", "type": "module", "private": true }\n',
      'cli/main.ts': "import { used } from '../lib/x/index.ts';\n\nconsole.log(used());\n",
      'lib/x/index.ts': [
        'export const used = (): number => 1;',
        'export const unused = (): number => 2;',
        'export const testOnly = (): number => 3;',
        'export const usedInFile = (): number => 4;',
        'export const forWorker = (): number => usedInFile();',
        '',
      ].join('\n'),
      'lib/y/page.worker.ts': "import { forWorker } from '../x/index.ts';\n\nforWorker();\n",
      'test/x.test.ts': "import { testOnly } from '../lib/x/index.ts';\n\ntestOnly();\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(tree.path, path, '..'), { recursive: true });
      writeFileSync(join(tree.path, path), text);
    }
    const result = await run(knip, ['--no-progress', '--reporter', 'json'], { cwd: tree.path });
    const report = JSON.parse(result.stdout) as KnipReport;
    assert.is(result.code, 1);
    assert.equal(
      report.issues.flatMap((issue) => issue.exports.map((e) => `${issue.file} ${e.name}`)),
      ['lib/x/index.ts unused'],
    );
    assert.equal(
      report.issues.flatMap((issue) => issue.files),
      [],
    );
  } finally {
    tree.remove();
  }
});

test.run();
