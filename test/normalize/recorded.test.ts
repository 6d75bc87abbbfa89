// Every recorded object, and the items of the main lists, normalised and compared byte for byte with
// the expectations in test/fixtures/normalized/ (reviewed by hand; KUBESNAP_UPDATE_EXPECTATIONS=1
// rewrites them). Also: idempotence, and the raw object is never touched.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { serializeObject } from '../../lib/layout/index.ts';
import { normalizeObject, type NormalizeResult } from '../../lib/normalize/index.ts';
import { normalizedDir, recordedList, recordedObjects, type RecordedObject } from './recorded-fixtures.ts';
import { testDigestKey } from '../helpers/digest-key.ts';

const updating = process.env.KUBESNAP_UPDATE_EXPECTATIONS === '1';

const lists = [
  'configmaps.json',
  'cronjobs.batch.json',
  'customresourcedefinitions.apiextensions.k8s.io.json',
  'deployments.apps.json',
  'horizontalpodautoscalers.autoscaling.json',
  'ingresses.networking.k8s.io.json',
  'jobs.batch.json',
  'namespaces.json',
  'networkpolicies.networking.k8s.io.json',
  'persistentvolumeclaims.json',
  'persistentvolumes.json',
  'poddisruptionbudgets.policy.json',
  'pods.json',
  'replicasets.apps.json',
  'rolebindings.rbac.authorization.k8s.io.json',
  'secrets.json',
  'serviceaccounts.json',
  'services.json',
  'statefulsets.apps.json',
  'widgets.example.com.json',
];

function render(result: NormalizeResult): string {
  return result.action === 'keep' ? serializeObject(result.object) : `# skipped: ${result.reason}\n`;
}

function expectMatches(relativePath: string, actual: string): void {
  const path = `${normalizedDir}${relativePath}`;
  if (updating) {
    mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
    writeFileSync(path, actual);
  }
  assert.ok(existsSync(path), `missing expectation ${relativePath}`);
  assert.fixture(actual, readFileSync(path, 'utf8'), relativePath);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const objects = recordedObjects();
const listItems = lists.flatMap((list) => recordedList(list));

test('the recorded objects normalise to the expectations', () => {
  assert.ok(objects.length >= 19);
  for (const { file, raw, info } of objects) {
    expectMatches(
      `objects/${file.replace(/\.json$/, '.yaml')}`,
      render(normalizeObject(raw, info, { digestKey: testDigestKey })),
    );
  }
});

test('the recorded lists normalise to the expectations', () => {
  for (const list of lists) {
    const rendered = recordedList(list)
      .map(
        ({ raw, info }) =>
          `# ${raw.metadata.namespace ?? '_cluster'}/${raw.metadata.name}\n${render(normalizeObject(raw, info, { digestKey: testDigestKey }))}`,
      )
      .join('---\n');
    expectMatches(`lists/${list.replace(/\.json$/, '.yaml')}`, rendered);
  }
});

function normaliseTwice({ raw, info }: RecordedObject): void {
  const once = normalizeObject(raw, info, { include: new Set(['owned']), digestKey: testDigestKey });
  if (once.action !== 'keep') return;
  const twice = normalizeObject(once.object, info, { include: new Set(['owned']), digestKey: testDigestKey });
  assert.equal(twice, once, `${info.resource} ${raw.metadata.name} changes when normalised again`);
}

test('normalising a normalised object changes nothing', () => {
  objects.forEach(normaliseTwice);
  listItems.forEach(normaliseTwice);
});

test('normalising a snapshot file read back gives the same bytes', () => {
  for (const { raw, info } of [...objects, ...listItems]) {
    const once = normalizeObject(raw, info, { digestKey: testDigestKey });
    if (once.action !== 'keep') continue;
    const again = normalizeObject(JSON.parse(JSON.stringify(once.object)), info, { digestKey: testDigestKey });
    assert.is(render(again), render(once));
  }
});

test('the raw object is never mutated', () => {
  for (const { raw, info } of [...objects, ...listItems]) {
    const copy = structuredClone(raw);
    // Frozen: any write inside normalizeObject throws (ES modules run in strict mode).
    for (const secrets of ['redact', 'plain'] as const) {
      normalizeObject(deepFreeze(raw), info, {
        secrets,
        digestKey: testDigestKey,
        include: new Set(['owned', 'service-account-tokens', 'root-ca-configmaps']),
      });
    }
    assert.ok(isDeepStrictEqual(raw, copy), `${info.resource} ${raw.metadata.name} was changed`);
  }
});

test.run();
