// The checks a write passes before the simulated cluster stores it (lib/sim/write-checks.ts) and the finalizer
// steps of a delete (lib/sim/finalization.ts), as functions of their arguments.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { markedForDeletion, withoutFinalizer } from '../../lib/sim/finalization.ts';
import { StatusError } from '../../lib/sim/status.ts';
import type { KubeObject, ResourceDef } from '../../lib/sim/types.ts';
import { checkName, checkPreconditions, checkResourceVersion } from '../../lib/sim/write-checks.ts';

const configMaps = { group: '', resource: 'configmaps' } as ResourceDef;
const stored: KubeObject = { metadata: { name: 'app', uid: 'u1', resourceVersion: '7', finalizers: ['a', 'b'] } };

function refusal(check: () => void): number | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    assert.instance(error, StatusError);
    return (error as StatusError).code;
  }
}

test('a body without a name passes where the name is optional (PUT, apply), not after a patch', () => {
  assert.is(
    refusal(() => checkName('app', { metadata: {} }, { optional: true })),
    undefined,
  );
  assert.is(
    refusal(() => checkName('app', { metadata: {} }, { optional: false })),
    400,
  );
  assert.is(
    refusal(() => checkName('app', { metadata: { name: 'other' } }, { optional: true })),
    400,
  );
  assert.is(
    refusal(() => checkName('app', { metadata: { name: 'app' } }, { optional: false })),
    undefined,
  );
});

test('a resourceVersion other than the stored one is a conflict; none or an empty one is not', () => {
  for (const resourceVersion of [undefined, '', '7'])
    assert.is(
      refusal(() => checkResourceVersion(configMaps, stored, { metadata: { resourceVersion } })),
      undefined,
    );
  assert.is(
    refusal(() => checkResourceVersion(configMaps, stored, { metadata: { resourceVersion: '6' } })),
    409,
  );
});

test("a delete's preconditions must name the stored uid and resourceVersion", () => {
  assert.is(
    refusal(() => checkPreconditions(configMaps, stored, { uid: 'u1', resourceVersion: '7' })),
    undefined,
  );
  assert.is(
    refusal(() => checkPreconditions(configMaps, stored, { uid: 'u2' })),
    409,
  );
  assert.is(
    refusal(() => checkPreconditions(configMaps, stored, { resourceVersion: '6' })),
    409,
  );
});

test('a DELETE marks the object (a namespace Terminating); the last finalizer taken off leaves no finalizers field', () => {
  const marked = markedForDeletion(stored, '2026-01-01T00:00:00Z', true);
  assert.is(marked.metadata.deletionTimestamp, '2026-01-01T00:00:00Z');
  assert.is(marked.metadata.deletionGracePeriodSeconds, 0);
  assert.equal(marked.status, { phase: 'Terminating' });
  assert.is(stored.metadata.deletionTimestamp, undefined);
  assert.equal(withoutFinalizer(stored, 'a').metadata.finalizers, ['b']);
  assert.not.ok('finalizers' in withoutFinalizer(withoutFinalizer(stored, 'a'), 'b').metadata);
});

test.run();
