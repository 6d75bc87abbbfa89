// Redaction, the default for Secret values (see index.ts). Its own module: normalisation uses it, and must not
// load the age library (a page worker thread starts faster without it).
import { createHmac } from 'node:crypto';

const KEYED_PREFIX = 'hmac-sha256:';
// `sha256:` digests are what kubesnap wrote before its digests were keyed: still redacted values.
const redactedPattern = /^(?:hmac-sha256|sha256):[0-9a-f]{64}$/;

export function isRedactedValue(value: unknown): boolean {
  return typeof value === 'string' && redactedPattern.test(value);
}

function redactValues(
  values: unknown,
  decode: (value: string) => Buffer,
  key: Uint8Array,
): Record<string, string> | undefined {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return undefined;
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    // Already-redacted values stay as they are so that redaction is idempotent.
    redacted[name] = isRedactedValue(value)
      ? (value as string)
      : `${KEYED_PREFIX}${createHmac('sha256', key)
          .update(decode(String(value ?? '')))
          .digest('hex')}`;
  }
  return redacted;
}

/**
 * A copy of the Secret whose `data` (base64) and `stringData` (plain text) values are replaced by
 * `hmac-sha256:<hex>` of the decoded bytes under `key` (see digest-key.ts), so the same value gives the same
 * digest in either field and in any Secret, and only holders of the key can test a guess.
 */
export function redactSecret<T extends object>(secret: T, key: Uint8Array): T {
  const copy: T & { data?: unknown; stringData?: unknown } = { ...secret };
  const data = redactValues(copy.data, (value) => Buffer.from(value, 'base64'), key);
  const stringData = redactValues(copy.stringData, (value) => Buffer.from(value, 'utf8'), key);
  if (data) copy.data = data;
  if (stringData) copy.stringData = stringData;
  return copy;
}
