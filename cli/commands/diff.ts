import { Command, Option } from 'commander';
import { KubesnapError, UsageError } from '../../lib/errors/index.ts';
import type { ChangeSet } from '../../lib/diff/index.ts';
import type { RevisionSpec, SnapshotRepository } from '../../lib/store/index.ts';
import { parseRevisionRange } from '../../lib/store/revision-syntax.ts';
import { connectToCluster } from '../cluster.ts';
import {
  addAgeIdentityOption,
  addAgeRecipientOptions,
  ageIdentitiesFrom,
  sealerFrom,
  type AgeIdentityFlags,
  type AgeRecipientFlags,
} from '../options/age.ts';
import { globalsOf } from '../options/globals.ts';
import { addNormalizeOptions, normalizeFrom, type NormalizeFlags } from '../options/normalize.ts';
import { addRepositoryOptions, openRepository, type RepositoryFlags } from '../options/repository.ts';
import { addSelectionOptions, selectionFrom, type SelectionFlags } from '../options/selection.ts';
import { collectValues, parseTime } from '../options/values.ts';
import { CommandWithPathspecs, pathspecGlobs } from '../pathspecs.ts';

type DiffModule = typeof import('../../lib/diff/index.ts');

const renderers: Record<string, (diff: DiffModule, changeSet: ChangeSet, color: boolean) => string> = {
  text: (diff, changeSet, color) => diff.renderText(changeSet, { color }),
  markdown: (diff, changeSet) => diff.renderMarkdown(changeSet),
  json: (diff, changeSet) => diff.renderJson(changeSet),
  html: (diff, changeSet) => diff.renderHtml(changeSet),
};

/** `FROM TO`, or one argument `A..B` / `A...B` (from the merge base of A and B, as git diff reads it). */
async function revisionPair(
  repository: SnapshotRepository,
  from: string | undefined,
  to: string | undefined,
): Promise<[string | undefined, string | undefined]> {
  const range = from === undefined ? undefined : parseRevisionRange(from);
  if (!range) return [from, to];
  if (to !== undefined) throw new UsageError(`"${from}" is a range already; give it alone, or two revisions.`);
  return [range.symmetric ? await repository.mergeBase(range.from, range.to) : range.from, range.to];
}

interface DiffFlags extends RepositoryFlags, SelectionFlags, NormalizeFlags, AgeIdentityFlags, AgeRecipientFlags {
  live?: boolean;
  at?: string;
  format: keyof typeof renderers;
  path?: string[];
  showSecrets?: boolean;
  exitCode?: boolean;
}

/** `git diff --exit-code` and `kubectl diff` agree: 0 no differences, 1 differences, 2 anything went wrong. */
function asDiffError(error: unknown): KubesnapError {
  if (error instanceof KubesnapError)
    return error.exitCode === 2 ? error : new KubesnapError(error.code, error.message, 2, { cause: error });
  const text = error instanceof Error ? error.message : String(error);
  return new KubesnapError('EUNEXPECTED', `unexpected failure: ${text.split('\n')[0]}`, 2, { cause: error });
}

export function registerDiffCommand(program: Command): void {
  const command = new CommandWithPathspecs('diff')
    .description(
      'show what changed between two revisions (default HEAD~1 and HEAD), or between a revision and the live cluster',
    )
    .usage('[options] [from [to] | from..to | from...to] [-- <path>...]')
    .argument(
      '[from]',
      'the older revision, as git spells it (default HEAD~1; with --live, the revision to compare, default HEAD); or a range A..B, or A...B (from where A and B parted)',
    )
    .argument('[to]', 'the newer revision (default HEAD)')
    .option('--live', 'compare with the live cluster, read and normalised as a snapshot would be')
    .option('--at <time>', 'FROM (or the revision for --live) is the last commit at or before this time')
    .addOption(new Option('-o, --format <format>', 'output format').choices(Object.keys(renderers)).default('text'))
    .option(
      '--path <glob>',
      "only files matching this glob (repeatable); paths after -- are git's pathspecs: a file, or a folder and all under it",
      collectValues,
    )
    .option('--show-secrets', 'show Secret values stored readable (--secrets plain) instead of hiding them')
    .option('--exit-code', 'exit 1 when there are differences, 0 when there are none');
  addRepositoryOptions(command, { write: false });
  addSelectionOptions(command);
  // How snapshots are written (what is kept, Secret values, age): in diff only --live uses them, to read the cluster
  // as the snapshot was read, so --help lists them apart.
  const writeOptionsFrom = command.options.length;
  addNormalizeOptions(command);
  addAgeIdentityOption(command);
  addAgeRecipientOptions(command);
  for (const option of command.options.slice(writeOptionsFrom))
    option.helpGroup('With --live, read the cluster as the snapshot was taken:');
  command.action(async (from: string | undefined, to: string | undefined, _options, self: Command) => {
    const options = globalsOf<DiffFlags>(self);
    try {
      const diff = await import('../../lib/diff/index.ts');
      if (options.at !== undefined && (options.live ? from !== undefined : to !== undefined)) {
        throw new UsageError('--at names the older revision; give at most one revision with it.');
      }
      if (options.live && to !== undefined)
        throw new UsageError('--live compares one revision with the cluster; give at most one revision.');
      const repository = await openRepository(options, { write: false });
      if (!options.live && options.at === undefined) [from, to] = await revisionPair(repository, from, to);
      const start: RevisionSpec | undefined = options.at !== undefined ? { at: parseTime(options.at, '--at') } : from;
      const paths = [...(options.path ?? []), ...pathspecGlobs(command.pathspecs)];
      const filter = { selection: selectionFrom(options), paths: paths.length ? paths : undefined };
      let changeSet: ChangeSet;
      if (options.live) {
        const ageIdentities = await ageIdentitiesFrom(options);
        const sealer = await sealerFrom(options);
        const { client } = await connectToCluster(options);
        try {
          changeSet = await diff.diffLive({
            client,
            repository,
            revision: start,
            filter,
            normalize: await normalizeFrom(options),
            prefix: options.prefix,
            showSecrets: options.showSecrets,
            ageIdentities,
            sealer,
          });
        } finally {
          client.close();
        }
      } else {
        const end = options.at !== undefined ? from : to;
        changeSet = await diff.diffRevisions({
          repository,
          from: start,
          to: end,
          filter,
          prefix: options.prefix,
          showSecrets: options.showSecrets,
        });
      }
      const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
      process.stdout.write(renderers[options.format](diff, changeSet, color));
      if (options.exitCode && changeSet.objects.length > 0) process.exitCode = 1;
    } catch (error) {
      throw asDiffError(error);
    }
  });
  program.addCommand(command);
}
