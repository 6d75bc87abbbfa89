import { Command, Option, type ParseOptionsResult } from 'commander';
import { UsageError } from '../../lib/errors/index.ts';
import type { ObjectChange } from '../../lib/diff/index.ts';
import type { LogEntry, SnapshotRepository } from '../../lib/store/index.ts';
import { changedBy } from '../../lib/history/changed-by.ts';
import type { DrillRecord } from '../../lib/drill/drill-record.ts';
import { parseKindName } from '../object-arguments.ts';
import { globalsOf } from '../options/globals.ts';
import { addOutputOption, type OutputFlags } from '../options/output.ts';
import { addRepositoryOptions, openRepository, type RepositoryFlags } from '../options/repository.ts';
import { collectList } from '../options/values.ts';
import { CommandWithPathspecs } from '../pathspecs.ts';

/**
 * Who made the change, as the commit says (changedBy), else the commit's author; nobody for a deletion, which a
 * watch sees happen but cannot attribute.
 */
function managerOf(entry: LogEntry, change?: ObjectChange): string | undefined {
  const deleted = change?.change === 'deleted';
  return (
    changedBy(entry.message, change && { path: change.path, deleted }) ?? (deleted ? undefined : entry.author.name)
  );
}

/** ` [restorable, drilled 2026-12-07]` after a revision whose last drill passed (kubesnap drill's note), ` [drill failed, …]` after one whose last failed. */
function drillMark(records: readonly DrillRecord[] | undefined): string {
  const last = records?.at(-1);
  if (!last) return '';
  return ` [${last.passed ? 'restorable, drilled' : 'drill failed'} ${last.at.toISOString().slice(0, 10)}]`;
}

function timeOf(entry: LogEntry): string {
  return new Date(entry.committer.timestamp * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

/**
 * `deploy/web` (with -n) or a repository path → the path whose history to show. -n may select several namespaces,
 * as long as one object is named.
 */
async function resolveObjectPath(
  repository: SnapshotRepository,
  spec: string,
  namespaces: string[],
  prefix: string | undefined,
): Promise<string> {
  if (spec.endsWith('.yaml') || spec.split('/').length > 2) return spec;
  const kindName = parseKindName(spec);
  if (!kindName) throw new UsageError(`"${spec}" is neither KIND/NAME (deploy/web) nor a path in the repository.`);
  const { objectHistoryPath } = await import('../../lib/history/object-lookup.ts');
  return objectHistoryPath(repository, kindName, namespaces, prefix);
}

/** The folders of the namespaces -n selects (named ones, and those at HEAD a glob matches): the pathspecs of `log -n`. */
async function namespaceFolders(
  repository: SnapshotRepository,
  namespaces: string[],
  prefix: string | undefined,
): Promise<string[]> {
  const { namedNamespaces, namespaceMatcher } = await import('../../lib/selection/namespaces.ts');
  const inFolder = (namespace: string) => [prefix?.replace(/^\/+|\/+$/g, ''), namespace].filter(Boolean).join('/');
  const named = namedNamespaces({ namespaces });
  if (named) return named.map(inFolder);
  const { parseObjectPath } = await import('../../lib/layout/index.ts');
  const selected = namespaceMatcher({ namespaces });
  const present = new Set(
    [...(await repository.readFiles()).keys()].map((path) => parseObjectPath(path, prefix)?.namespace),
  );
  return [...present]
    .filter((namespace): namespace is string => namespace !== undefined && selected(namespace))
    .map(inFolder);
}

/** git's count habits: `-3` is `--max-count 3` (up to a `--`). */
class LogCommand extends CommandWithPathspecs {
  override parseOptions(args: string[]): ParseOptionsResult {
    const separator = args.indexOf('--');
    const options = separator === -1 ? args : args.slice(0, separator);
    const counted = options.flatMap((arg) => (/^-\d+$/.test(arg) ? ['--max-count', arg.slice(1)] : [arg]));
    return super.parseOptions(separator === -1 ? counted : [...counted, ...args.slice(separator)]);
  }
}

/** `-n` as git reads it in log: a number is a count; anything else, as in every other command, namespaces. */
function countOrNamespaces(values: string[]): { count?: number; namespaces: string[] } {
  const counts = values.filter((value) => /^\d+$/.test(value));
  return {
    count: counts.length ? Number(counts[counts.length - 1]) : undefined,
    namespaces: values.filter((value) => !/^\d+$/.test(value)),
  };
}

function parseCount(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new UsageError(`${flag} "${value}" is not a number.`);
    return Number(value);
  };
}

interface LogLine {
  entry: LogEntry;
  change?: ObjectChange;
}

interface LogFlags extends RepositoryFlags, OutputFlags {
  /** `-n`: a count or namespaces, as `countOrNamespaces` tells. */
  n?: string[];
  namespace?: string[];
  patch?: boolean;
  limit?: number;
  maxCount?: number;
  showSecrets?: boolean;
}

export function registerLogCommand(program: Command): void {
  const command = new LogCommand('log')
    .description(
      'the commits that changed the repository, one object (deploy/web with -n, or a path), some namespaces (-n) or paths (after --), newest first',
    )
    .usage('[options] [resource] [-- <path>...]')
    .argument(
      '[resource]',
      'KIND/NAME as kubectl spells it (deploy/web, deployments.apps/web), or a path in the repository',
    )
    .option(
      '-n <count|namespaces>',
      'as in git, a number is a count (-n 1, -n1, -1: the newest commit only); anything else is --namespace',
      collectList,
    )
    .option(
      '--namespace <names>',
      'the namespace of KIND/NAME; without KIND/NAME, only commits that changed these namespaces (names or globs, comma-separated or repeated; a namespace named with digits only goes here, not after -n)',
      collectList,
    )
    .option('-p, --patch', 'show each change: field changes and the unified YAML diff')
    .option('--limit <count>', 'at most this many commits', parseCount('--limit'))
    .addOption(
      new Option('--max-count <count>', "at most this many commits (git's spelling of --limit)")
        .argParser(parseCount('--max-count'))
        .hideHelp(),
    )
    .option('--show-secrets', 'show Secret values stored readable instead of hiding them');
  addRepositoryOptions(command, { write: false });
  addOutputOption(command);
  command.action(async (resource: string | undefined, _options, self: Command) => {
    const { objectChange, unifiedDiff } = await import('../../lib/diff/index.ts');
    const { formatFieldChange } = await import('../../lib/json/field-changes.ts');
    const options = globalsOf<LogFlags>(self);
    const dashN = countOrNamespaces(options.n ?? []);
    const namespaces = [...dashN.namespaces, ...(options.namespace ?? [])];
    const limit = options.maxCount ?? dashN.count ?? options.limit;
    if (resource !== undefined && command.pathspecs.length)
      throw new UsageError('give KIND/NAME (or one path) or paths after --, not both.');
    const repository = await openRepository(options, { write: false });
    const path =
      resource === undefined ? undefined : await resolveObjectPath(repository, resource, namespaces, options.prefix);
    const paths =
      resource === undefined && namespaces.length ? await namespaceFolders(repository, namespaces, options.prefix) : [];
    if (resource === undefined && namespaces.length && paths.length === 0)
      throw new UsageError(`-n ${namespaces.join(',')} matches no namespace in the repository.`);
    paths.push(...command.pathspecs);
    const { readDrillRecords } = await import('../../lib/drill/drill-record.ts');
    const drills = await readDrillRecords(repository);
    const lines: LogLine[] = [];
    for (const entry of await repository.log({ path, paths, limit })) {
      if (path === undefined) {
        lines.push({ entry });
        continue;
      }
      const after = await repository.readFile(entry.commit, path);
      const before = entry.parents[0] ? await repository.readFile(entry.parents[0], path) : undefined;
      lines.push({
        entry,
        change: objectChange(path, before, after, { prefix: options.prefix, showSecrets: options.showSecrets }),
      });
    }
    if (options.output === 'json') {
      process.stdout.write(
        JSON.stringify(
          lines.map(({ entry, change }) => ({
            commit: entry.commit,
            time: timeOf(entry),
            manager: managerOf(entry, change) ?? null,
            author: `${entry.author.name} <${entry.author.email}>`,
            subject: entry.message.split('\n')[0],
            drills: (drills.get(entry.commit) ?? []).map((drill) => ({
              at: drill.at.toISOString(),
              passed: drill.passed,
              parts: drill.parts,
            })),
            ...(change
              ? { path: change.path, change: change.change, fields: change.fields.map((field) => field.path) }
              : {}),
          })),
          null,
          2,
        ) + '\n',
      );
      return;
    }
    for (const { entry, change } of lines) {
      const what = change ? change.change + fieldSummary(change) : entry.message.split('\n')[0];
      const manager = managerOf(entry, change);
      process.stdout.write(
        `${entry.commit.slice(0, 7)} ${timeOf(entry)} ${what}${manager ? ` by ${manager}` : ''}${drillMark(drills.get(entry.commit))}\n`,
      );
      if (options.patch && change) {
        for (const field of change.fields) process.stdout.write(`    ${formatFieldChange(field)}\n`);
        process.stdout.write(`\n${unifiedDiff(change).trimEnd()}\n\n`);
      }
    }
  });
  program.addCommand(command);
}

function fieldSummary(change: ObjectChange): string {
  if (change.fields.length === 0) return '';
  const shown = change.fields.slice(0, 3).map((field) => field.path);
  const more = change.fields.length > shown.length ? `, +${change.fields.length - shown.length} more` : '';
  return ` (${shown.join(', ')}${more})`;
}
