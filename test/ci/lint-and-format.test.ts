// What `npm run lint` and `npm run format:check` hold the code to (biome.json, issue 21): an import cycle and
// unused code are errors, and a line over 120 characters is a formatting difference. Each case runs the real Biome
// with the repository's biome.json in a small git work tree of its own.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { git, run, temporaryDirectory } from '../helpers/processes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const biome = join(root, 'node_modules/.bin/biome');

interface Diagnostic {
  category: string;
  location: { path: string };
}

/** Runs `biome <command>` over `files` (path → text under a copy of biome.json); its diagnostics and exit code. */
async function biomeOn(
  command: 'lint' | 'format',
  files: Record<string, string>,
): Promise<{ code: number; found: string[] }> {
  const tree = temporaryDirectory('kubesnap-lint-');
  try {
    await git(tree.path, 'init', '-q');
    copyFileSync(join(root, 'biome.json'), join(tree.path, 'biome.json'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(tree.path, path, '..'), { recursive: true });
      writeFileSync(join(tree.path, path), text);
    }
    const result = await run(biome, [command, '--reporter=json', 'lib'], { cwd: tree.path });
    const { diagnostics } = JSON.parse(result.stdout) as { diagnostics: Diagnostic[] };
    return { code: result.code, found: diagnostics.map((d) => `${d.location.path} ${d.category}`).sort() };
  } finally {
    tree.remove();
  }
}

test('an import cycle is a lint error, a type-only one is not', async () => {
  const { code, found } = await biomeOn('lint', {
    'lib/a/index.ts': "import { b } from '../b/index.ts';\n\nexport const a = (): number => b() + 1;\n",
    'lib/b/index.ts': "import { a } from '../a/index.ts';\n\nexport const b = (): number => a() - 1;\n",
    'lib/c/index.ts': "import type { D } from '../d/index.ts';\n\nexport type C = { d?: D };\n",
    'lib/d/index.ts': "import type { C } from '../c/index.ts';\n\nexport type D = { c?: C };\n",
  });
  assert.is(code, 1);
  assert.equal(found, [
    'lib/a/index.ts lint/suspicious/noImportCycles',
    'lib/b/index.ts lint/suspicious/noImportCycles',
  ]);
});

test('unused imports, variables, parameters and private members are lint errors', async () => {
  const { code, found } = await biomeOn('lint', {
    'lib/unused.ts': [
      "import { readFileSync } from 'node:fs';",
      '',
      'export function twice(value: number, unused: string): number {',
      '  const forgotten = value;',
      '  return value * 2;',
      '}',
      '',
      'export class Holder {',
      '  private readonly never = 1;',
      '}',
      '',
    ].join('\n'),
  });
  assert.is(code, 1);
  assert.equal(found, [
    'lib/unused.ts lint/correctness/noUnusedFunctionParameters',
    'lib/unused.ts lint/correctness/noUnusedImports',
    'lib/unused.ts lint/correctness/noUnusedPrivateClassMembers',
    'lib/unused.ts lint/correctness/noUnusedVariables',
  ]);
});

test('the format check keeps the house style and lines of at most 120 characters', async () => {
  const call = (width: number) => `export const x = f('${'a'.repeat(width - "export const x = f('');".length)}');\n`;
  const kept = await biomeOn('format', { 'lib/style.ts': `${call(120)}export const y = [1, 2].map((n) => n * 2);\n` });
  assert.is(kept.code, 0, kept.found.join('\n'));
  const tooLong = await biomeOn('format', { 'lib/style.ts': `${call(121)}` });
  assert.is(tooLong.code, 1);
  assert.equal(tooLong.found, ['lib/style.ts format']);
});

test.run();
