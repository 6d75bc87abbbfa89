import { Option, type Command } from 'commander';
import type { NormalizeOptions, SkipReason } from '../../lib/normalize/index.ts';
// skip-reasons.ts, not the index: registering the flags needs the reasons, not the normaliser.
import { skipReasons } from '../../lib/normalize/skip-reasons.ts';
import { configuredOrigin } from '../config.ts';

/** Skip policies, each a flag away (`--include-owned`), and what happens to Secret values. */
export function addNormalizeOptions(command: Command): Command {
  for (const [reason, { description, includeFlag }] of Object.entries(skipReasons)) {
    if (reason === 'secrets') continue;
    command.option(includeFlag, `keep what is skipped by default: ${description}`);
  }
  return command
    .addOption(
      new Option(
        '--secrets <mode>',
        'Secret values: redact (keyed HMAC-SHA256 digests), skip, or plain (stored readable)',
      )
        .choices(['redact', 'skip', 'plain'])
        .default('redact'),
    )
    .option(
      '--digest-key-file <file>',
      `the key of redacted values' digests, never committed (else $${DIGEST_KEY_FILE_VARIABLE}, else a random key kept in the repository's git folder)`,
    )
    .hook('preAction', warnOfConfiguredPlainSecrets);
}

const DIGEST_KEY_FILE_VARIABLE = 'KUBESNAP_DIGEST_KEY_FILE';

/** Readable Secrets are asked for silently only on the command line: a file or a variable may be a surprise, on every run. */
function warnOfConfiguredPlainSecrets(command: Command): void {
  const origin = configuredOrigin(command, 'secrets');
  if (origin === undefined || command.getOptionValue('secrets') !== 'plain') return;
  process.stderr.write(
    `warning: Secret values are stored readable because ${origin} sets secrets: plain; only --secrets plain on the command line does so without this warning.\n`,
  );
}

/** What `addNormalizeOptions` parses, besides an `--include-<reason>` flag per skip reason. */
export interface NormalizeFlags {
  secrets?: 'redact' | 'skip' | 'plain';
  digestKeyFile?: string;
}

export async function normalizeFrom(options: NormalizeFlags): Promise<NormalizeOptions> {
  const include = new Set<SkipReason>();
  // The --include-<reason> flags are named by skipReasons, so they are looked up by name.
  const flags: Readonly<Record<string, unknown>> = options as Readonly<Record<string, unknown>>;
  for (const [reason, { includeFlag }] of Object.entries(skipReasons) as Array<[SkipReason, { includeFlag: string }]>) {
    if (flags[camelCase(includeFlag.replace(/^--/, ''))]) include.add(reason);
  }
  const [keyFile, source]: [string | undefined, string] = options.digestKeyFile
    ? [options.digestKeyFile, '--digest-key-file']
    : [process.env[DIGEST_KEY_FILE_VARIABLE], DIGEST_KEY_FILE_VARIABLE];
  // Without a file, the library takes the repository's own key (lib/secrets/digest-key.ts).
  const digestKey = keyFile
    ? await (await import('../../lib/secrets/digest-key.ts')).readDigestKeyFile(keyFile, source)
    : undefined;
  return { include, secrets: options.secrets, digestKey };
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}
