// The shortcuts against what they stand for: isEqualJson (normalize/fields.ts) against isDeepStrictEqual, copyJson
// (lib/json) against the original, on random JSON values.
import { isDeepStrictEqual } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyJson, copyWithout } from '../../lib/json/index.ts';
import { isEqualJson } from '../../lib/normalize/fields.ts';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const scalars = [0, -0, 1, 10, 420, NaN, '', '0', 'TCP', 'Always', true, false, null];

function randomValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 2 || pick < 0.6) return scalars[Math.floor(next() * scalars.length)];
  if (pick < 0.8) return Array.from({ length: Math.floor(next() * 3) }, () => randomValue(next, depth + 1));
  return Object.fromEntries(
    Array.from({ length: Math.floor(next() * 3) }, (_, i) => [
      ['a', 'b', '__proto__'][i],
      randomValue(next, depth + 1),
    ]),
  );
}

test('isEqualJson is isDeepStrictEqual', () => {
  const next = random(11);
  for (let i = 0; i < 20000; i++) {
    const a = randomValue(next, 0);
    const b = next() < 0.3 ? copyJson(a) : randomValue(next, 0);
    assert.is(isEqualJson(a, b), isDeepStrictEqual(a, b), `${String(a)} ${String(b)}`);
  }
});

test('copyJson copies deeply, own __proto__ keys included', () => {
  const original = JSON.parse('{"a":{"__proto__":{"x":[1,{"y":2}]}},"b":[{"c":null}],"__proto__":3}');
  const copy = copyJson(original) as any;
  assert.ok(isDeepStrictEqual(copy, original));
  assert.is(Object.getPrototypeOf(copy.a), Object.prototype);
  assert.equal(Object.keys(copy), ['a', 'b', '__proto__']);
  assert.is.not(copy.a.__proto__, original.a.__proto__);
  assert.is.not(copy.b[0], original.b[0]);
  const date = new Date(0);
  assert.is.not(copyJson({ date }), date);
  assert.equal((copyJson({ date }) as any).date, date);
});

test('copyWithout leaves out the keys named, deeply copies the rest', () => {
  const original = { a: { b: 1 }, status: { c: 2 }, d: [3] };
  const copy = copyWithout(original, new Set(['status']));
  assert.equal(copy, { a: { b: 1 }, d: [3] });
  assert.is.not(copy.a, original.a);
});

test.run();
