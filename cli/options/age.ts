import type { Command } from 'commander';
import { UsageError } from '../../lib/errors/index.ts';
import type { SecretSealer } from '../../lib/secrets/index.ts';
import type { NormalizeFlags } from './normalize.ts';
import { collectValues } from './values.ts';

/** `--age-recipient` / `--age-recipients-file`: Secret values are committed encrypted with age. */
export function addAgeRecipientOptions(command: Command): Command {
  return command
    .option(
      '--age-recipient <recipient>',
      'encrypt Secret values with age to this recipient (age1…, repeatable)',
      collectValues,
    )
    .option(
      '--age-recipients-file <file>',
      'encrypt Secret values with age to the recipients in this file (one per line, # comments)',
    );
}

/** What `addAgeRecipientOptions` parses. */
export interface AgeRecipientFlags {
  ageRecipient?: string[];
  ageRecipientsFile?: string;
}

/** The sealer the recipient flags ask for, or undefined without them. */
export async function sealerFrom(
  options: AgeRecipientFlags & Pick<NormalizeFlags, 'secrets'>,
): Promise<SecretSealer | undefined> {
  if (!options.ageRecipient?.length && !options.ageRecipientsFile) return undefined;
  const { parseRecipients, readRecipientsFile, SecretSealer } = await import('../../lib/secrets/index.ts');
  const recipients = [
    ...parseRecipients(options.ageRecipient ?? [], '--age-recipient'),
    ...(options.ageRecipientsFile ? await readRecipientsFile(options.ageRecipientsFile) : []),
  ];
  if (recipients.length === 0) return undefined;
  if (options.secrets !== undefined && options.secrets !== 'redact') {
    throw new UsageError(
      `--age-recipient encrypts Secret values; it cannot be combined with --secrets ${options.secrets}.`,
    );
  }
  return new SecretSealer(recipients);
}

/** `--age-identity FILE` (repeatable): decrypts Secret values committed encrypted. */
export function addAgeIdentityOption(command: Command): Command {
  return command.option(
    '--age-identity <file>',
    'decrypt Secret values committed encrypted with this age identity file (as age-keygen writes it; repeatable)',
    collectValues,
  );
}

/** What `addAgeIdentityOption` parses. */
export interface AgeIdentityFlags {
  ageIdentity?: string[];
}

export async function ageIdentitiesFrom(options: AgeIdentityFlags): Promise<string[] | undefined> {
  const files = options.ageIdentity ?? [];
  if (files.length === 0) return undefined;
  const { readIdentityFile } = await import('../../lib/secrets/index.ts');
  return (await Promise.all(files.map(readIdentityFile))).flat();
}
