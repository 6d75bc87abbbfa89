// Encrypted Secret values in the committed YAML, and how an unchanged value keeps its bytes.
import { createHash, createHmac } from 'node:crypto';
import { KubesnapError } from '../errors/index.ts';
import { decryptArmored, encryptArmored } from './age.ts';

export const ENCRYPTED_VALUES_ANNOTATION = 'kubesnap.io/encrypted-values';
const ARMOR_HEADER = '-----BEGIN AGE ENCRYPTED FILE-----';

type SecretObject = Record<string, unknown> & {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
};
type ValueField = 'data' | 'stringData';

/** A value as kubesnap commits it encrypted: age's armored ciphertext (never valid base64, so never a readable `data` value). */
export function isEncryptedValue(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(ARMOR_HEADER);
}

export function isEncryptedSecret(object: object): boolean {
  const secret = object as SecretObject;
  if (secret.metadata?.annotations?.[ENCRYPTED_VALUES_ANNOTATION] !== undefined) return true;
  return (['data', 'stringData'] as const).some((field) =>
    Object.values(valuesOf(secret, field) ?? {}).some(isEncryptedValue),
  );
}

export class SecretDecryptionError extends KubesnapError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ESECRETDECRYPT', message, 1, options);
  }
}

function valuesOf(secret: SecretObject, field: ValueField): Record<string, unknown> | undefined {
  const values = secret[field];
  return values !== null && typeof values === 'object' && !Array.isArray(values)
    ? (values as Record<string, unknown>)
    : undefined;
}

/** data values are base64, stringData values text: both are compared and encrypted as the bytes they stand for. */
function bytesOf(field: ValueField, value: unknown): Buffer {
  return field === 'data' ? Buffer.from(String(value ?? ''), 'base64') : Buffer.from(String(value ?? ''), 'utf8');
}

/** The annotation's key for a value: bare for data (what a snapshot reads back), `stringData/<key>` otherwise. */
function entryName(field: ValueField, key: string): string {
  return field === 'data' ? key : `stringData/${key}`;
}

function digestsOf(secret: SecretObject | undefined): Record<string, string> {
  const text = secret?.metadata?.annotations?.[ENCRYPTED_VALUES_ANNOTATION];
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, string>)
      : {};
  } catch {
    return {};
  }
}

interface SealedValue {
  field: ValueField;
  key: string;
  digest: string;
  plaintext: Buffer;
  /** The committed ciphertext when the value is unchanged since `previous`. */
  reused?: string;
}

/**
 * Encrypts Secret values to a fixed set of age recipients. Each value gets a keyed digest
 * (HMAC-SHA256 under a key derived from the sorted recipients, over the Secret's namespace, name,
 * the value's key and its bytes), kept in the `kubesnap.io/encrypted-values` annotation. A value
 * whose digest equals the committed one keeps the committed ciphertext, so an unchanged Secret
 * serialises to the same bytes; a new set of recipients changes every digest and re-encrypts once.
 */
export class SecretSealer {
  readonly recipients: readonly string[];
  private readonly digestKey: Buffer;

  constructor(recipients: readonly string[]) {
    if (recipients.length === 0) throw new Error('SecretSealer needs at least one recipient');
    this.recipients = [...new Set(recipients)].sort();
    this.digestKey = createHash('sha256')
      .update('kubesnap encrypted-values digest v1\n')
      .update(this.recipients.join('\n'))
      .digest();
  }

  /** The sealed copy when every value is unchanged since `previous` (no encryption needed), else undefined. */
  sealUnchanged<T extends object>(secret: T, previous: object | undefined): T | undefined {
    const values = this.valuesToSeal(secret as SecretObject, previous as SecretObject | undefined);
    if (values.some((value) => value.reused === undefined)) return undefined;
    return this.assemble(
      secret,
      values,
      values.map((value) => value.reused!),
    );
  }

  /** A copy of the Secret with every value encrypted, reusing `previous`'s ciphertext where the value is unchanged. */
  async seal<T extends object>(secret: T, previous: object | undefined): Promise<T> {
    const values = this.valuesToSeal(secret as SecretObject, previous as SecretObject | undefined);
    const ciphertexts = await Promise.all(
      values.map((value) => value.reused ?? encryptArmored(value.plaintext, this.recipients)),
    );
    return this.assemble(secret, values, ciphertexts);
  }

  private valuesToSeal(secret: SecretObject, previous: SecretObject | undefined): SealedValue[] {
    const previousDigests = digestsOf(previous);
    const values: SealedValue[] = [];
    for (const field of ['data', 'stringData'] as const) {
      for (const [key, value] of Object.entries(valuesOf(secret, field) ?? {})) {
        const plaintext = bytesOf(field, value);
        const digest = `hmac-sha256:${createHmac('sha256', this.digestKey)
          .update(JSON.stringify([secret.metadata?.namespace ?? '', secret.metadata?.name ?? '', field, key]))
          .update(plaintext)
          .digest('hex')}`;
        const committed = previous && valuesOf(previous, field)?.[key];
        const reused =
          previousDigests[entryName(field, key)] === digest && isEncryptedValue(committed) ? committed : undefined;
        values.push({ field, key, digest, plaintext, reused });
      }
    }
    return values;
  }

  private assemble<T extends object>(secret: T, values: SealedValue[], ciphertexts: string[]): T {
    if (values.length === 0) return secret;
    const copy = { ...secret } as SecretObject;
    const digests: Record<string, string> = {};
    values.forEach((value, i) => {
      copy[value.field] = { ...(copy[value.field] as object), [value.key]: ciphertexts[i] };
      digests[entryName(value.field, value.key)] = value.digest;
    });
    const sorted = Object.fromEntries(Object.entries(digests).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    copy.metadata = {
      ...copy.metadata,
      annotations: { ...copy.metadata?.annotations, [ENCRYPTED_VALUES_ANNOTATION]: JSON.stringify(sorted) },
    };
    return copy as T;
  }
}

/**
 * A copy of a committed Secret with its encrypted values decrypted (data as base64 again) and the
 * digest annotation gone: the Secret as it was in the cluster. Throws SecretDecryptionError naming
 * the Secret, never a value, when no identity opens a value.
 */
export async function openSecret<T extends object>(secret: T, identities: readonly string[]): Promise<T> {
  const copy = { ...secret } as SecretObject;
  const ref = [copy.metadata?.namespace, copy.metadata?.name].filter(Boolean).join('/');
  for (const field of ['data', 'stringData'] as const) {
    const values = valuesOf(copy, field);
    if (!values) continue;
    const opened: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      if (!isEncryptedValue(value)) {
        opened[key] = value;
        continue;
      }
      let plaintext: Buffer;
      try {
        plaintext = await decryptArmored(value, identities);
      } catch (error) {
        throw new SecretDecryptionError(
          `Secret ${ref}: the value of ${key} cannot be decrypted with the given --age-identity (${error instanceof Error ? error.message : 'not age ciphertext'}).`,
          { cause: error },
        );
      }
      opened[key] = field === 'data' ? plaintext.toString('base64') : plaintext.toString('utf8');
    }
    copy[field] = opened;
  }
  const annotations = { ...copy.metadata?.annotations };
  delete annotations[ENCRYPTED_VALUES_ANNOTATION];
  const metadata = { ...copy.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  copy.metadata = metadata;
  return copy as T;
}
