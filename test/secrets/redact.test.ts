import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { digestKeyId, isRedactedValue, redactSecret } from '../../lib/secrets/index.ts';

const recorded = JSON.parse(
  readFileSync(new URL('../fixtures/apiserver/objects/payments_secrets_api-credentials.json', import.meta.url), 'utf8'),
);
const key = Buffer.from('0123456789abcdef0123456789abcdef');
const otherKey = Buffer.from('fedcba9876543210fedcba9876543210');
const sha256 = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const hmac = (text: string, withKey = key) => `hmac-sha256:${createHmac('sha256', withKey).update(text).digest('hex')}`;
const secretOf = (value: string) => ({ data: { k: Buffer.from(value).toString('base64') } });

test('the recorded secret value never survives redaction, nor its plain sha256', () => {
  const text = JSON.stringify(redactSecret(recorded, key));
  assert.not.ok(text.includes('s3cr3t-do-not-commit'));
  assert.not.ok(text.includes('czNjcjN0LWRvLW5vdC1jb21taXQ='));
  assert.not.ok(text.includes(sha256('s3cr3t-do-not-commit').slice('sha256:'.length)));
  assert.is(redactSecret(recorded, key).data.DB_PASSWORD, hmac('s3cr3t-do-not-commit'));
});

test('the digest of "hunter2" is keyed: not its sha256, which a dictionary reverses', () => {
  const digest = redactSecret(secretOf('hunter2'), key).data.k;
  assert.match(digest, /^hmac-sha256:[0-9a-f]{64}$/);
  assert.is.not(digest.slice('hmac-sha256:'.length), sha256('hunter2').slice('sha256:'.length));
  assert.is.not(
    digest.slice('hmac-sha256:'.length),
    'f52fbd32b2b3b86ff88ef6c490628285f482af15ddcb29541f94bcf526a3f6c7',
  );
});

test('equal values give equal digests under one key, in any Secret, and different ones under another key', () => {
  assert.is(
    redactSecret(secretOf('hunter2'), key).data.k,
    redactSecret({ data: { other: Buffer.from('hunter2').toString('base64') } }, key).data.other,
  );
  assert.is.not(redactSecret(secretOf('hunter2'), key).data.k, redactSecret(secretOf('hunter2'), otherKey).data.k);
});

test('data and stringData of the same value give the same digest', () => {
  const redacted = redactSecret({ data: { a: Buffer.from('v').toString('base64') }, stringData: { b: 'v' } }, key);
  assert.is(redacted.data.a, redacted.stringData.b);
  assert.is(redacted.data.a, hmac('v'));
});

test('a changed value shows as a changed digest', () => {
  assert.is.not(redactSecret(secretOf('one'), key).data.k, redactSecret(secretOf('two'), key).data.k);
});

test('redaction is idempotent, leaves the input alone and keeps other fields', () => {
  const input = structuredClone(recorded);
  const once = redactSecret(input, key);
  assert.equal(input, recorded);
  assert.equal(redactSecret(once, key), once);
  assert.equal(redactSecret(once, otherKey), once);
  assert.is(once.type, 'Opaque');
  assert.equal(once.metadata, recorded.metadata);
});

test('isRedactedValue recognises keyed digests and the unkeyed sha256 digests of older repositories', () => {
  assert.ok(isRedactedValue(hmac('x')));
  assert.ok(isRedactedValue(sha256('x')));
  assert.not.ok(isRedactedValue('czNjcjN0LWRvLW5vdC1jb21taXQ='));
  assert.not.ok(isRedactedValue('sha256:abc'));
  assert.not.ok(isRedactedValue('hmac-sha256:abc'));
  assert.not.ok(isRedactedValue(undefined));
});

test('a Secret without data is returned as it was', () => {
  assert.equal(redactSecret({ type: 'Opaque' }, key), { type: 'Opaque' });
});

test('the key id names a key without revealing it, and differs between keys', () => {
  assert.match(digestKeyId(key), /^[0-9a-f]{16}$/);
  assert.is.not(digestKeyId(key), digestKeyId(otherKey));
  assert.not.ok(createHash('sha256').update(key).digest('hex').startsWith(digestKeyId(key)));
});

test.run();
