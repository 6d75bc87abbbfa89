// compareValues and the FieldsV1 checks (lib/sim/value-fields.ts, field-set.ts): the quick paths (items paired in
// order by their key values, maps whose fields keep their order, whole-set ownership checks) give what the general
// rules give: items by element with the last of two equal keys counting, fields by name, fieldsV1Has per path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FieldSet, fieldsV1HasAll, fieldsV1HasAny, toFieldsV1, withoutSubtrees } from '../../lib/sim/field-set.ts';
import { compareValues, itemElement } from '../../lib/sim/value-fields.ts';

function changes(
  before: unknown,
  after: unknown,
): { changed: Record<string, unknown>; removed: Record<string, unknown> } {
  const { changed, removed } = compareValues(before, after);
  return { changed: toFieldsV1(changed), removed: toFieldsV1(removed) };
}

const containers = (...items: unknown[]) => ({ spec: { containers: items } });

test('items that keep their keys and order are compared with their counterparts', () => {
  const before = containers({ name: 'a', image: '1' }, { name: 'b', image: '1' });
  const after = containers({ name: 'a', image: '1' }, { name: 'b', image: '2' });
  assert.equal(changes(before, after), {
    changed: { 'f:spec': { 'f:containers': { 'k:{"name":"b"}': { 'f:image': {} } } } },
    removed: {},
  });
});

test('reordered items are found by key: nothing changed', () => {
  const before = containers({ name: 'a', image: '1' }, { name: 'b', image: '2' });
  const after = containers({ name: 'b', image: '2' }, { name: 'a', image: '1' });
  assert.equal(changes(before, after), { changed: {}, removed: {} });
});

test('of two items with the same key, the last counts', () => {
  const before = containers({ name: 'a', image: '1' }, { name: 'a', image: '2' });
  assert.equal(changes(before, containers({ name: 'a', image: '9' }, { name: 'a', image: '2' })), {
    changed: {},
    removed: {},
  });
  assert.equal(changes(before, containers({ name: 'a', image: '2' }, { name: 'a', image: '9' })).changed, {
    'f:spec': { 'f:containers': { 'k:{"name":"a"}': { 'f:image': {} } } },
  });
});

test('keys that are not plain scalars are compared by their elements', () => {
  const date = new Date(0);
  const before = containers({ name: date, image: '1' }, { name: '1970-01-01T00:00:00.000Z', image: '2' });
  // Both items have the element k:{"name":"1970-01-01T00:00:00.000Z"}: the second counts, on both sides, and its
  // name went from a string to a Date.
  const after = containers({ name: '1970-01-01T00:00:00.000Z', image: '3' }, { name: new Date(0), image: '2' });
  assert.equal(changes(before, after), {
    changed: { 'f:spec': { 'f:containers': { 'k:{"name":"1970-01-01T00:00:00.000Z"}': { 'f:name': {} } } } },
    removed: {},
  });
  assert.is(itemElement({ type: 'map', keys: ['name'] }, { name: date }), 'k:{"name":"1970-01-01T00:00:00.000Z"}');
});

test('item keys take their defaults and are written as JSON.stringify writes them', () => {
  const ports = { type: 'map' as const, keys: ['containerPort', 'protocol'], keyDefaults: { protocol: 'TCP' } };
  assert.is(itemElement(ports, { containerPort: 80 }), 'k:{"containerPort":80,"protocol":"TCP"}');
  assert.is(
    itemElement(ports, { containerPort: 80, protocol: 'a"b\\c\u0001' }),
    `k:${JSON.stringify({ containerPort: 80, protocol: 'a"b\\c\u0001' })}`,
  );
  assert.is(itemElement({ type: 'set' }, 'x'), 'v:"x"');
});

test('a field that was null and is set now is changed, whatever the order of the fields', () => {
  assert.equal(changes({ data: { a: null, b: '1' } }, { data: { a: '1', b: '1' } }).changed, {
    'f:data': { 'f:a': {} },
  });
  assert.equal(changes({ data: { a: '1', b: '1' } }, { data: { b: '1', a: '1', c: '1' } }).changed, {
    'f:data': { 'f:c': {} },
  });
  assert.equal(changes({ data: { a: '1', b: '1' } }, { data: { b: '1' } }).removed, { 'f:data': { 'f:a': {} } });
});

function setOf(...paths: string[][]): FieldSet {
  const set = new FieldSet();
  for (const path of paths) set.insert(path);
  return set;
}

test('a set is owned when every one of its paths is in the FieldsV1, touched when one is', () => {
  const fields = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:data': {} };
  assert.ok(fieldsV1HasAll(fields, setOf(['f:metadata', 'f:labels', 'f:app'], ['f:data'])));
  assert.ok(fieldsV1HasAll(fields, setOf(['f:metadata', 'f:labels'])), "'.' makes the map itself a member");
  assert.not.ok(fieldsV1HasAll(fields, setOf(['f:metadata'])), 'a map with fields and no dot is not a member');
  assert.not.ok(fieldsV1HasAll(fields, setOf(['f:metadata', 'f:labels', 'f:app'], ['f:spec'])));
  assert.not.ok(fieldsV1HasAll(fields, setOf(['f:data', 'f:key'])), 'a leaf has no children');
  assert.ok(fieldsV1HasAny(fields, setOf(['f:spec'], ['f:data'])));
  assert.not.ok(fieldsV1HasAny(fields, setOf(['f:spec'], ['f:metadata', 'f:labels', '.'])));
  assert.ok(fieldsV1HasAll(undefined, new FieldSet()));
  assert.not.ok(fieldsV1HasAny(undefined, setOf(['f:data'])));
});

test('withoutSubtrees cuts the paths and what is below them, and leaves a set without them as it is', () => {
  const set = setOf(['f:spec', 'f:replicas'], ['f:status', 'f:replicas'], ['f:status', 'f:conditions']);
  assert.equal(toFieldsV1(withoutSubtrees(set, [['f:status']])), { 'f:spec': { 'f:replicas': {} } });
  assert.equal(toFieldsV1(withoutSubtrees(set, [['f:spec', 'f:replicas']])), {
    'f:status': { 'f:conditions': {}, 'f:replicas': {} },
  });
  assert.is(withoutSubtrees(set, [['f:metadata'], ['f:spec', 'f:template']]), set);
});

test.run();
