import { Command } from 'commander';
import { RepositoryError } from '../../lib/errors/index.ts';
import { splitRevisionPath } from '../../lib/store/revision-syntax.ts';
import { globalsOf } from '../options/globals.ts';
import { addOutputOption, type OutputFlags } from '../options/output.ts';
import { addRepositoryOptions, openRepository, type RepositoryFlags } from '../options/repository.ts';

interface ShowFlags extends RepositoryFlags, OutputFlags {
  showSecrets?: boolean;
}

export function registerShowCommand(program: Command): void {
  const command = new Command('show')
    .description("a commit's summary (REV), or one object as it was (REV:PATH)")
    .argument('[revision]', 'REV or REV:PATH, as git spells them', 'HEAD')
    .option('--show-secrets', 'show Secret values stored readable instead of hiding them');
  addRepositoryOptions(command, { write: false });
  addOutputOption(command);
  command.action(async (spec: string, _options, self: Command) => {
    const { diffRevisions, renderJson, renderText } = await import('../../lib/diff/index.ts');
    const options = globalsOf<ShowFlags>(self);
    const repository = await openRepository(options, { write: false });
    const [revision, path] = splitRevisionPath(spec);
    const commit = await repository.resolve(revision);
    if (path !== undefined) {
      const bytes = await repository.readFile(commit, path);
      if (!bytes) throw new RepositoryError(`The path '${path}' does not exist in '${revision}'.`);
      process.stdout.write(await objectAsShown(bytes, path, options.prefix, Boolean(options.showSecrets)));
      return;
    }
    const [entry] = await repository.log({ ref: commit, limit: 1 });
    const changeSet = await diffRevisions({
      repository,
      from: entry.parents[0] ?? null,
      to: commit,
      prefix: options.prefix,
      showSecrets: options.showSecrets,
    });
    if (options.output === 'json') {
      process.stdout.write(
        JSON.stringify(
          {
            commit: entry.commit,
            parents: entry.parents,
            author: entry.author,
            committer: entry.committer,
            message: entry.message,
            diff: JSON.parse(renderJson(changeSet)),
          },
          null,
          2,
        ) + '\n',
      );
      return;
    }
    const date = new Date(entry.author.timestamp * 1000).toISOString().replace(/\.000Z$/, 'Z');
    process.stdout.write(
      `commit ${entry.commit}\nAuthor: ${entry.author.name} <${entry.author.email}>\nDate:   ${date}\n\n`,
    );
    process.stdout.write(
      entry.message
        .trimEnd()
        .split('\n')
        .map((line) => `    ${line}`.trimEnd())
        .join('\n') + '\n\n',
    );
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    process.stdout.write(renderText(changeSet, { color, stat: true }));
  });
  program.addCommand(command);
}

/** A file as it was (see readShownManifest); a Secret's readable values replaced unless `showSecrets` (digests stay: they are already safe). */
async function objectAsShown(
  bytes: Buffer,
  path: string,
  prefix: string | undefined,
  showSecrets: boolean,
): Promise<string> {
  const { readShownManifest } = await import('../../lib/diff/shown-manifest.ts');
  const { maskSecretValues } = await import('../../lib/secrets/index.ts');
  const { parseObjectPath, serializeObject } = await import('../../lib/layout/index.ts');
  const text = bytes.toString('utf8');
  const identity = parseObjectPath(path, prefix);
  const object = identity && readShownManifest(bytes, path, identity);
  if (!object || showSecrets) return text;
  const { before: masked } = maskSecretValues(object, undefined);
  return masked === object ? text : serializeObject(masked!);
}
