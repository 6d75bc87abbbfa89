// What the module graph of lib/ and the bundle's chunks promise (issue 21): no import cycle between the folders of
// lib/, and `snapshot` and `watch` never load the diff renderers' packages (diff2html, diff, fast-json-patch: 35–50 ms
// of start-up). Read from esbuild's metafile of the bundle as lib/runtime/build.mjs splits it, nothing written.
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = fileURLToPath(new URL('..', import.meta.url));

const { metafile } = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { main: 'cli/main.ts' },
  outdir: 'dist/metafile-only',
  write: false,
  metafile: true,
  logLevel: 'silent',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
});
await esbuild.stop();

/** `lib/diff/live.ts` → `diff`. */
const folderOf = (path: string) => (path.startsWith('lib/') ? path.split('/')[1] : undefined);

/** The folders of lib/ each folder imports (types excluded: esbuild drops them), and the cycles among them. */
function folderCycles(): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const [path, input] of Object.entries(metafile.inputs)) {
    const from = folderOf(path);
    if (!from) continue;
    for (const imported of input.imports) {
      const to = folderOf(imported.path);
      if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  const cycles: string[][] = [];
  const walk = (folder: string, trail: string[]) => {
    for (const next of edges.get(folder) ?? []) {
      if (next === trail[0]) cycles.push([...trail, next]);
      else if (!trail.includes(next) && next > trail[0]) walk(next, [...trail, next]);
    }
  };
  for (const folder of edges.keys()) walk(folder, [folder]);
  return cycles;
}

/** The packages a command's action loads: main.mjs and the chunks of the action's `await import()`s, with their static imports. */
function packagesLoadedBy(command: string): Set<string> {
  const source = readFileSync(join(root, `cli/commands/${command}.ts`), 'utf8');
  const imported = [...source.matchAll(/await import\('([^']+)'\)/g)].map((match) =>
    relative(root, resolve(root, 'cli/commands', match[1])),
  );
  const outputs = Object.entries(metafile.outputs);
  const starts = [
    outputs.find(([, output]) => output.entryPoint === 'cli/main.ts')![0],
    ...imported
      .map((path) => outputs.find(([, output]) => output.entryPoint === path)?.[0])
      .filter((chunk): chunk is string => chunk !== undefined),
  ];
  assert.ok(starts.length > 1, `no chunk of ${command}'s action was found`);
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (chunk: string) => {
    if (seen.has(chunk)) return;
    seen.add(chunk);
    for (const next of metafile.outputs[chunk].imports) {
      if (next.kind !== 'import-statement') continue;
      if (next.external) packages.add(next.path);
      else visit(next.path);
    }
  };
  starts.forEach(visit);
  return packages;
}

test('no folder of lib/ imports, through others, itself', () => {
  assert.equal(folderCycles(), []);
});

for (const command of ['snapshot', 'watch']) {
  test(`${command} loads neither diff2html, diff nor fast-json-patch`, () => {
    const loaded = packagesLoadedBy(command);
    assert.ok(loaded.size > 0);
    assert.equal(
      ['diff2html', 'diff', 'fast-json-patch'].filter((name) => loaded.has(name)),
      [],
    );
  });
}

test.run();
