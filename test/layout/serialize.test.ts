import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KubesnapError } from '../../lib/errors/index.ts';
import { ManifestError, parseObject, serializeObject } from '../../lib/layout/index.ts';
import { normalizeObject } from '../../lib/normalize/index.ts';
import { recordedObjects } from '../normalize/recorded-fixtures.ts';
import { testDigestKey } from '../helpers/digest-key.ts';

test('apiVersion, kind, metadata first; every other key in the order given', () => {
  const text = serializeObject({
    spec: { z: 1, a: 2 },
    metadata: { namespace: 'n', name: 'x' },
    kind: 'ConfigMap',
    data: { b: '1', a: '2' },
    apiVersion: 'v1',
  });
  assert.is(
    text,
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      "  namespace: 'n'",
      '  name: x',
      'spec:',
      '  z: 1',
      '  a: 2',
      'data:',
      "  b: '1'",
      "  a: '2'",
      '',
    ].join('\n'),
  );
});

test('same object, same bytes, whatever order its top-level keys were built in', () => {
  for (const { raw } of recordedObjects()) {
    const reordered = Object.fromEntries(Object.entries(raw).reverse());
    const text = serializeObject(raw);
    assert.is(serializeObject(structuredClone(raw)), text);
    assert.is(serializeObject(reordered).split('\n').slice(0, 2).join('\n'), text.split('\n').slice(0, 2).join('\n'));
  }
});

test('a top-level `__proto__` key (JSON.parse makes it an own key) is written, by the fast writer and by js-yaml', () => {
  assert.is(
    serializeObject(JSON.parse('{"kind":"X","__proto__":{"a":1},"apiVersion":"v1"}')),
    'apiVersion: v1\nkind: X\n__proto__:\n  a: 1\n',
  );
  // A block scalar ending in an empty line is left to js-yaml.
  assert.is(
    serializeObject(JSON.parse('{"__proto__":5,"kind":"X","data":"a\\n\\n"}')),
    'kind: X\n__proto__: 5\ndata: |+\n  a\n\n...\n',
  );
});

test('strings that look like other types are quoted and round-trip', () => {
  const data = {
    yes: 'yes',
    no: 'no',
    on: 'on',
    off: 'off',
    y: 'y',
    n: 'n',
    octal: '0755',
    exp: '1e3',
    num: '3600',
    bool: 'true',
    nil: 'null',
    tilde: '~',
    empty: '',
    date: '2026-11-23',
    hex: '0x1F',
    colon: 'a: b',
    hash: '#x',
    lead: ' x',
    multiline: 'a\nb\n',
    tab: 'a\tb',
    unicode: 'ünï 🚀',
  };
  const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data };
  const text = serializeObject(object);
  assert.equal(parseObject(text), object);
  // YAML 1.1 readers (kubectl, sigs.k8s.io/yaml) would read these unquoted as bools or numbers.
  for (const key of ['yes', 'no', 'on', 'off', 'y', 'n', 'octal', 'num', 'bool', 'nil'] as const) {
    assert.ok(text.includes(`: '${data[key]}'\n`), `${key} is not quoted`);
  }
});

test('no line folding and no anchors', () => {
  const long = 'word '.repeat(100).trim();
  const shared = { a: 1 };
  const text = serializeObject({
    apiVersion: 'v1',
    kind: 'X',
    metadata: { name: 'x' },
    long,
    one: shared,
    two: shared,
  });
  assert.ok(text.includes(`long: ${long}\n`));
  assert.not.ok(/[&*]ref/.test(text));
});

test('every normalised recorded object survives a round trip through YAML', () => {
  for (const { raw, info } of recordedObjects()) {
    const result = normalizeObject(raw, info, { digestKey: testDigestKey });
    if (result.action !== 'keep') continue;
    const text = serializeObject(result.object);
    assert.equal(parseObject(text), result.object);
    assert.is(serializeObject(parseObject(text)), text);
  }
});

test('bad YAML throws a ManifestError with one sentence', () => {
  for (const text of ['a: [1', 'a: 1\na: 2', 'key: "open', '- just\n- a list', 'plain scalar', '']) {
    try {
      parseObject(text);
      assert.unreachable(`parsed ${JSON.stringify(text)}`);
    } catch (error) {
      assert.instance(error, ManifestError);
      assert.instance(error, KubesnapError);
      assert.is((error as ManifestError).code, 'EMANIFEST');
      assert.not.ok((error as Error).message.includes('\n'));
      assert.match((error as Error).message, /^The manifest .*\.$/);
    }
  }
});

test.run();
