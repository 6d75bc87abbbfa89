// The Dockerfile, read as docker would (there is no docker daemon here to build it): what it copies, in which
// order, as whom it runs, and that the dependencies are a layer of their own before the sources.
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../helpers/processes.ts';

const root = new URL('../../', import.meta.url).pathname;
const sources = ['tsconfig.json', 'bin', 'cli', 'lib', 'scripts', 'templates'];

/** The Dockerfile's instructions, continuation lines joined, comments and blank lines dropped. */
function instructions(): string[] {
  const dockerfile = readFileSync(`${root}Dockerfile`, 'utf8').replace(/\\\n/g, ' ');
  return dockerfile
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** The sources a COPY instruction names (its last word is the destination). */
function copiedBy(instruction: string): string[] {
  return instruction.startsWith('COPY ') ? instruction.split(/\s+/).slice(1, -1) : [];
}

test('node:20-slim, numeric non-root user, WORKDIR, the bin as ENTRYPOINT, every path it copies exists and is not ignored', () => {
  const lines = instructions();
  assert.is(lines[0], 'FROM node:20-slim');
  const user = lines.filter((line) => line.startsWith('USER ')).at(-1)!;
  assert.match(user, /^USER [1-9]\d*(:\d+)?$/);
  assert.ok(lines.some((line) => line === 'WORKDIR /app'));
  assert.equal(JSON.parse(lines.find((line) => line.startsWith('ENTRYPOINT '))!.slice('ENTRYPOINT '.length)), [
    'node',
    '/app/bin/kubesnap.js',
  ]);
  const ignored = readFileSync(`${root}.dockerignore`, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const copied = lines.flatMap(copiedBy);
  for (const source of ['package.json', 'package-lock.json', ...sources])
    assert.ok(copied.includes(source), `${source} is copied`);
  for (const path of copied) {
    assert.ok(existsSync(`${root}${path}`), `${path} exists`);
    assert.ok(!ignored.includes(path), `${path} is not in .dockerignore`);
  }
  for (const runtime of ['templates/messages', 'templates/demo'])
    assert.ok(!ignored.some((pattern) => runtime.startsWith(pattern)), `${runtime} reaches the image`);
  assert.ok(ignored.includes('dist'), "the host's own dist/ (another machine's build) stays out of the image");
});

test('dependencies are installed in a layer before the sources are copied; the bundle is built after them, before USER', () => {
  const lines = instructions();
  const firstCopyOf = (path: string) => lines.findIndex((line) => copiedBy(line).includes(path));
  const install = lines.findIndex((line) => /^RUN npm ci\b/.test(line));
  assert.ok(install >= 0, 'npm ci runs');
  assert.match(lines[install], /--omit=dev/);
  // The prepare script bundles the sources: in the dependency layer it would find none.
  assert.match(lines[install], /--ignore-scripts/);
  assert.ok(
    firstCopyOf('package.json') < install && firstCopyOf('package-lock.json') < install,
    'package.json and the lock are copied before npm ci',
  );
  for (const source of sources)
    assert.ok(
      firstCopyOf(source) > install,
      `${source} is copied after npm ci, so a source change keeps the dependency layer`,
    );
  const build = lines.findIndex((line) => /^RUN npm run prepare\b/.test(line));
  const lastCopy = Math.max(...lines.flatMap((line, index) => (line.startsWith('COPY ') ? [index] : [])));
  assert.ok(build > lastCopy, 'the bundle is built once every source is copied');
  assert.ok(
    build < lines.findIndex((line) => line.startsWith('USER ')),
    'as root, so the program cannot rewrite what it runs',
  );
});

test('npm ci --omit=dev keeps every package the program imports at run time', async () => {
  const packageJson = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
  // scripts/ too: the prepare script runs in the image.
  const result = await run('git', ['-C', root, 'ls-files', 'bin', 'cli', 'lib', 'scripts']);
  const imported = new Set<string>(['tsx']);
  for (const file of result.stdout.split('\n').filter((f) => /\.(ts|js|mjs)$/.test(f))) {
    const source = readFileSync(`${root}${file}`, 'utf8');
    for (const match of source.matchAll(/^import (?!type )[^'"]*?from '([^'.][^']*)'|import\('([^'.][^']*)'\)/gm)) {
      const specifier = match[1] ?? match[2];
      if (specifier.startsWith('node:')) continue;
      imported.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
    }
  }
  for (const name of imported)
    assert.ok(packageJson.dependencies[name], `${name} is a runtime dependency, not only a dev one`);
});

test.run();
