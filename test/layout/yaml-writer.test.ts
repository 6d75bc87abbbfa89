// The fast YAML writer must give exactly js-yaml's bytes, or step aside (undefined) for js-yaml to write.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dump, loadAll } from 'js-yaml';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeYamlMapping } from '../../lib/layout/yaml-writer.ts';
import { clusterObjects } from '../bench/cluster-objects.ts';

const reference = (object: object) => dump(object, { lineWidth: -1, noRefs: true });

function check(object: Record<string, unknown>): boolean {
  const fast = writeYamlMapping(object);
  if (fast !== undefined) assert.is(fast, reference(object), JSON.stringify(object));
  return fast !== undefined;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('recorded API server objects and the test cluster are written as js-yaml writes them', () => {
  const fixtures = new URL('../fixtures/', import.meta.url).pathname;
  let written = 0;
  for (const file of filesUnder(fixtures)) {
    const text = readFileSync(file, 'utf8');
    const documents = file.endsWith('.json') ? [JSON.parse(text)] : file.endsWith('.yaml') ? loadAll(text) : [];
    for (const document of documents) {
      if (document === null || typeof document !== 'object' || Array.isArray(document)) continue;
      const items = Array.isArray((document as any).items) ? (document as any).items : [document];
      for (const item of [document, ...items]) if (check(item)) written++;
    }
  }
  assert.ok(written > 50, `only ${written} fixtures took the fast path`);
});

test('typical objects take the fast path', () => {
  for (const object of clusterObjects(200)) assert.ok(check(object as Record<string, unknown>));
});

// Deterministic pseudo-random values built from the characters and words YAML treats specially.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const words = [
  'y',
  'n',
  'Y',
  'yes',
  'No',
  'on',
  'OFF',
  'true',
  'False',
  'null',
  'NULL',
  '~',
  '',
  ' ',
  '-',
  '?',
  ':',
  '#',
  '=',
  '<<',
  '---',
  '...',
  '0',
  '010',
  '0o17',
  '0x1F',
  '1e3',
  '1_000',
  '1.5',
  '.inf',
  '-.Inf',
  '.NaN',
  '12:30:00',
  '2026-11-24',
  '2026-11-24T10:00:00Z',
  'plain',
  'with space',
  'two  spaces',
  'trailing ',
  ' leading',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  "it's",
  '"quoted"',
  'back\\slash',
  'tab\there',
  'line\nbreak',
  'ends\n',
  'ends\n\n',
  '\n',
  '\n leading',
  'crlf\r\n',
  'üñíçødé',
  'emoji 😀',
  '\u2028',
  'nbsp\u00a0',
  '@at',
  '!bang',
  '&amp',
  '*star',
  '|pipe',
  '>gt',
  '%pct',
  '`tick',
  '[x]',
  '{y}',
  'a,b',
  'x'.repeat(1100),
  'sha256:abc',
  'arn:aws:iam::1:role/x',
  'registry.example.com/team/app:1.2.3',
  '  indented\n  block\n',
  'multi\nline\ntext',
  'key=value',
  '=',
];

function randomString(next: () => number): string {
  const parts = 1 + Math.floor(next() * 3);
  let text = '';
  for (let i = 0; i < parts; i++) text += words[Math.floor(next() * words.length)];
  return text;
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.45) return randomString(next);
  if (pick < 0.55)
    return [0, 1, -1, 42, 3.5, -0.25, 1e21, 2 ** 53, 1e-7, NaN, Infinity, -Infinity][Math.floor(next() * 12)];
  if (pick < 0.6) return next() < 0.5 ? true : next() < 0.5 ? false : null;
  if (pick < 0.8) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  return randomMap(next, depth + 1);
}

function randomMap(next: () => number, depth: number): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  const size = Math.floor(next() * 5);
  for (let i = 0; i < size; i++) map[randomString(next)] = randomValue(next, depth);
  return map;
}

test('random values made of YAML edge cases: the same bytes as js-yaml, or js-yaml writes them', () => {
  const next = random(8);
  let written = 0;
  for (let i = 0; i < 3000; i++)
    if (check({ apiVersion: 'v1', kind: 'ConfigMap', metadata: randomMap(next, 1), data: randomMap(next, 0) }))
      written++;
  assert.ok(written > 600, `only ${written} of 3000 took the fast path`);
});

test('top-level keys are written in the order given', () => {
  for (const object of clusterObjects(50) as unknown as Array<Record<string, unknown>>) {
    const keys = Object.keys(object).reverse();
    assert.is(writeYamlMapping(object, keys), reference(Object.fromEntries(keys.map((key) => [key, object[key]]))));
  }
  assert.is(writeYamlMapping({ a: 1 }, []), '{}\n');
  assert.is(writeYamlMapping({ a: 1 }, ['a', 'missing']), undefined);
});

test('a `__proto__` key (JSON.parse makes it an own key) is written like any other, at every level', () => {
  for (const text of ['{"__proto__":{"a":1},"b":2}', '{"a":{"__proto__":5}}', '{"a":[{"__proto__":[1]}]}'])
    assert.ok(check(JSON.parse(text)), text);
});

test('values that are not JSON data leave the writing to js-yaml', () => {
  assert.is(writeYamlMapping({ a: new Date(0) }), undefined);
  assert.is(writeYamlMapping({ a: undefined }), undefined);
  assert.is(writeYamlMapping({ a: -0 }), undefined);
  assert.is(writeYamlMapping({ a: 'ends\n\n' }), undefined);
});

test.run();
