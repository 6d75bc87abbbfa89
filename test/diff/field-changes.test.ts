import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { objectChange, renderText } from '../../lib/diff/index.ts';
import { fieldChanges, formatFieldChange } from '../../lib/json/field-changes.ts';
import { maskSecretValues, CHANGED_VALUE, HIDDEN_VALUE } from '../../lib/secrets/index.ts';
import { serializeObject } from '../../lib/layout/index.ts';
import { deployment } from './fixture-repository.ts';

const lines = (before: unknown, after: unknown) => fieldChanges(before, after).map(formatFieldChange);

test('scalar changes are reported leaf by leaf, containers by name', () => {
  assert.equal(lines(deployment(2, 'shop:v1'), deployment(3, 'shop:v2')), [
    'spec.replicas: 2 → 3',
    'spec.template.spec.containers[web].image: shop:v1 → shop:v2',
  ]);
});

test('added and removed fields, keys that are not identifiers quoted, named elements added', () => {
  const before = {
    metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
    spec: { paused: true, containers: [{ name: 'web' }] },
  };
  const after = {
    metadata: { labels: { 'app.kubernetes.io/name': 'shop', tier: 'front' } },
    spec: { containers: [{ name: 'web' }, { name: 'sidecar', image: 'envoy' }] },
  };
  assert.equal(lines(before, after), [
    'metadata.labels["app.kubernetes.io/name"]: web → shop',
    'metadata.labels.tier: + front',
    'spec.paused: - true',
    'spec.containers[sidecar]: + {"name":"sidecar","image":"envoy"}',
  ]);
});

test('lists without names: same length element by element, otherwise the whole list', () => {
  assert.equal(lines({ args: ['a', 'b'] }, { args: ['a', 'c'] }), ['args[1]: b → c']);
  assert.equal(lines({ args: ['a'] }, { args: ['a', 'b'] }), ['args: ["a"] → ["a","b"]']);
  assert.equal(fieldChanges({ a: 1 }, { a: 1 }), []);
});

test("keys named like Object.prototype members (a ConfigMap's constructor, toString) are ordinary keys", () => {
  assert.equal(lines({ data: { a: '1' } }, { data: { a: '1', constructor: 'x', toString: 'y' } }), [
    'data.constructor: + x',
    'data.toString: + y',
  ]);
  assert.equal(lines({ data: { constructor: 'x' } }, { data: {} }), ['data.constructor: - x']);
  assert.equal(lines(JSON.parse('{"data":{"__proto__":"p"}}'), { data: {} }), ['data.__proto__: - p']);
});

test('segments are data, for restore to reuse', () => {
  const [change] = fieldChanges(deployment(2, 'x'), deployment(2, 'y'));
  assert.equal(change.segments, [
    { key: 'spec' },
    { key: 'template' },
    { key: 'spec' },
    { key: 'containers' },
    { name: 'web' },
    { key: 'image' },
  ]);
  assert.is(change.type, 'changed');
  assert.is(change.before, 'x');
  assert.is(change.after, 'y');
});

test('readable Secret values are masked; digests are kept', () => {
  const secret = (password: string, user: string) => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { password, user },
  });
  const masked = maskSecretValues(secret('b2xk', 'YWRtaW4='), secret('bmV3', 'YWRtaW4='));
  assert.equal(masked.before!.data, { password: HIDDEN_VALUE, user: HIDDEN_VALUE });
  assert.equal(masked.after!.data, { password: CHANGED_VALUE, user: HIDDEN_VALUE });
  const digest = `sha256:${'d'.repeat(64)}`;
  assert.equal(maskSecretValues(secret(digest, digest), undefined).before!.data, { password: digest, user: digest });
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'plain' } };
  assert.is(maskSecretValues(configMap, configMap).before, configMap);
});

test('an object change never carries a readable Secret value unless asked', () => {
  const before = Buffer.from(
    serializeObject({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'shop' },
      data: { password: 'b2xkLXZhbHVl' },
    }),
  );
  const after = Buffer.from(
    serializeObject({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'shop' },
      data: { password: 'bmV3LXZhbHVl' },
    }),
  );
  const change = objectChange('shop/secrets/s.yaml', before, after)!;
  const text = renderText({ from: { label: 'a' }, to: { label: 'b' }, objects: [change] });
  assert.not.match(text, /b2xkLXZhbHVl|bmV3LXZhbHVl/);
  assert.match(text, /data\.password: \(hidden\) → \(value changed\)/);
  const shown = objectChange('shop/secrets/s.yaml', before, after, { showSecrets: true })!;
  assert.match(shown.afterYaml, /bmV3LXZhbHVl/);
});

test('text colours only when asked', () => {
  const change = objectChange(
    'shop/deployments.apps/web.yaml',
    Buffer.from(serializeObject(deployment(2, 'a'))),
    Buffer.from(serializeObject(deployment(3, 'a'))),
  )!;
  const changeSet = { from: { label: 'a' }, to: { label: 'b' }, objects: [change] };
  assert.not.match(renderText(changeSet), /\x1b\[/);
  assert.match(renderText(changeSet, { color: true }), /\x1b\[32m\+  replicas: 3\x1b\[0m/);
});

test('README.md and identical files are not object changes', () => {
  assert.is(objectChange('README.md', Buffer.from('a'), Buffer.from('b')), undefined);
  assert.is(objectChange('shop/configmaps/a.yaml', Buffer.from('x: 1\n'), Buffer.from('x: 1\n')), undefined);
});

test.run();
