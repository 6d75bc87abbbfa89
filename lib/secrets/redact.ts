// Redaction, the default for Secret values (see index.ts). Its own module: normalisation uses it, and must not
// load the age library (a page worker thread starts faster without it).
import { hash } from 'node:crypto';

const redactedPattern = /^sha256:[0-9a-f]{64}$/;

export function isRedactedValue(value: unknown): boolean {
  return typeof value === 'string' && redactedPattern.test(value);
}

function digest(bytes: Buffer): string {
  return `sha256:${hash('sha256', bytes, 'hex')}`;
}

function redactValues(values: unknown, decode: (value: string) => Buffer): Record<string, string> | undefined {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) return undefined;
  const redacted: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    // Already-redacted values stay as they are so that redaction is idempotent.
    redacted[key] = isRedactedValue(value) ? (value as string) : digest(decode(String(value ?? '')));
  }
  return redacted;
}

/**
 * A copy of the Secret whose `data` (base64) and `stringData` (plain text) values are replaced by
 * `sha256:<hex>` of the decoded bytes, so the same value gives the same digest in either field.
 */
export function redactSecret<T extends object>(secret: T): T {
  const copy: T & { data?: unknown; stringData?: unknown } = { ...secret };
  const data = redactValues(copy.data, (value) => Buffer.from(value, 'base64'));
  const stringData = redactValues(copy.stringData, (value) => Buffer.from(value, 'utf8'));
  if (data) copy.data = data;
  if (stringData) copy.stringData = stringData;
  return copy;
}
