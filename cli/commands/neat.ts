import { Command, Option } from 'commander';
import { globalsOf } from '../options/globals.ts';
import { normalizeFrom, type NormalizeFlags } from '../options/normalize.ts';

interface NeatFlags extends Pick<NormalizeFlags, 'digestKeyFile'> {
  filename?: string;
  output: 'yaml' | 'json';
  secrets: 'redact' | 'plain';
}

export function registerNeatCommand(program: Command): void {
  const command = new Command('neat')
    .description(
      'clean manifests as the snapshot repository would hold them, without a cluster (kubectl get pod x -o yaml | kubesnap neat)',
    )
    .option(
      '-f, --filename <file>',
      'the manifests to clean: YAML or JSON of one object, a List, or several documents (default -, stdin)',
    )
    .addOption(
      new Option('-o, --output <format>', 'output format: yaml (a document per object) or json (a List of several)')
        .choices(['yaml', 'json'])
        .default('yaml'),
    )
    .addOption(
      new Option('--secrets <mode>', 'Secret values: redact (keyed HMAC-SHA256 digests) or plain (left readable)')
        .choices(['redact', 'plain'])
        .default('redact'),
    )
    .option(
      '--digest-key-file <file>',
      "the key of redacted values' digests (else $KUBESNAP_DIGEST_KEY_FILE, else the --repo repository's key when it exists, else a random key for this run)",
    );
  command.action(async (_options, self: Command) => {
    const { neat, maxNeatInputBytes } = await import('../../lib/neat/index.ts');
    const { neatDigestKey } = await import('../../lib/neat/digest-key.ts');
    const { inputSubject, readInput } = await import('../../lib/neat/read-input.ts');
    const options = globalsOf<NeatFlags>(self);
    const digestKey = await neatDigestKey((await normalizeFrom(options)).digestKey, options.repo);
    const source = await readInput(options.filename, process.stdin, maxNeatInputBytes);
    process.stdout.write(
      neat(source, {
        subject: inputSubject(options.filename),
        format: options.output,
        secrets: options.secrets,
        digestKey,
      }),
    );
  });
  program.addCommand(command);
}
