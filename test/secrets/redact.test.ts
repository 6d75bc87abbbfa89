import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isRedactedValue, redactSecret } from '../../lib/secrets/index.ts';

const recorded = JSON.parse(readFileSync(new URL('../fixtures/apiserver/objects/payments_secrets_api-credentials.json', import.meta.url), 'utf8'));
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

test('the recorded secret value never survives redaction', () => {
  const text = JSON.stringify(redactSecret(recorded));
  assert.not.ok(text.includes('s3cr3t-do-not-commit'));
  assert.not.ok(text.includes('czNjcjN0LWRvLW5vdC1jb21taXQ='));
  assert.is(redactSecret(recorded).data.DB_PASSWORD, sha256('s3cr3t-do-not-commit'));
});

test('data and stringData of the same value give the same digest', () => {
  const redacted = redactSecret({ data: { a: Buffer.from('v').toString('base64') }, stringData: { b: 'v' } });
  assert.is(redacted.data.a, redacted.stringData.b);
  assert.is(redacted.data.a, sha256('v'));
});

test('a changed value shows as a changed digest', () => {
  const before = redactSecret({ data: { k: Buffer.from('one').toString('base64') } });
  const after = redactSecret({ data: { k: Buffer.from('two').toString('base64') } });
  assert.is.not(before.data.k, after.data.k);
});

test('redaction is idempotent, leaves the input alone and keeps other fields', () => {
  const input = structuredClone(recorded);
  const once = redactSecret(input);
  assert.equal(input, recorded);
  assert.equal(redactSecret(once), once);
  assert.is(once.type, 'Opaque');
  assert.equal(once.metadata, recorded.metadata);
});

test('isRedactedValue recognises digests only', () => {
  assert.ok(isRedactedValue(sha256('x')));
  assert.not.ok(isRedactedValue('czNjcjN0LWRvLW5vdC1jb21taXQ='));
  assert.not.ok(isRedactedValue('sha256:abc'));
  assert.not.ok(isRedactedValue(undefined));
});

test('a Secret without data is returned as it was', () => {
  assert.equal(redactSecret({ type: 'Opaque' }), { type: 'Opaque' });
});

test.run();
