// age (age-encryption.org/v1) through the age-encryption package: X25519 recipients and identities,
// armored ciphertext so that an encrypted value stays text in a YAML file.
import { Decrypter, Encrypter, armor } from 'age-encryption';
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors/index.ts';

const recipientPattern = /^age1[02-9ac-hj-np-z]{58}$/;
const identityPattern = /^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/;

/** Non-empty lines that are not `#` comments, as age reads recipients and identity files. */
function keyLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Checks `age1…` recipients (X25519, what `age-keygen` prints); `source` names where they came from in the error. */
export function parseRecipients(values: readonly string[], source: string): string[] {
  for (const value of values) {
    if (!recipientPattern.test(value))
      throw new UsageError(`${source}: "${value.slice(0, 80)}" is not an age X25519 recipient (age1…).`);
  }
  return [...values];
}

export async function readRecipientsFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--age-recipients-file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      { cause: error },
    );
  }
  const recipients = parseRecipients(keyLines(text), `--age-recipients-file ${path}`);
  if (recipients.length === 0) throw new UsageError(`--age-recipients-file ${path} names no recipient.`);
  return recipients;
}

/** The `AGE-SECRET-KEY-1…` lines of an identity file as `age-keygen` writes it. The keys never appear in an error. */
export async function readIdentityFile(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `--age-identity ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
      { cause: error },
    );
  }
  const identities = keyLines(text);
  if (identities.length === 0 || !identities.every((line) => identityPattern.test(line))) {
    throw new UsageError(
      `--age-identity ${path} is not an age identity file (lines of AGE-SECRET-KEY-1…, as age-keygen writes).`,
    );
  }
  return identities;
}

export async function encryptArmored(plaintext: Uint8Array, recipients: readonly string[]): Promise<string> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  return armor.encode(await encrypter.encrypt(plaintext));
}

/** Throws when the value is not age ciphertext or no identity opens it; the message never holds the value. */
export async function decryptArmored(armored: string, identities: readonly string[]): Promise<Buffer> {
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  return Buffer.from(await decrypter.decrypt(armor.decode(armored)));
}
