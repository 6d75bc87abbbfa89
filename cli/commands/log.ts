import { Command } from 'commander';
import { UsageError } from '../../lib/errors/index.ts';
import type { ObjectChange } from '../../lib/diff/index.ts';
import { builtinKindFor, spellingMatchesKind } from '../../lib/selection/offline-kinds.ts';
import type { LogEntry, SnapshotRepository } from '../../lib/store/index.ts';
import { addOutputOption, globalsOf } from '../options.ts';

const CHANGED_BY = /^Kubesnap-Changed-By:[ \t]*(.+?)\s*$/gm;

/** Who made the change: the commit's `Kubesnap-Changed-By:` trailers, else its author. */
function managerOf(entry: LogEntry): string {
  const managers = [...new Set([...entry.message.matchAll(CHANGED_BY)].map((match) => match[1]))];
  return managers.length ? managers.join(', ') : entry.author.name;
}

function timeOf(entry: LogEntry): string {
  return new Date(entry.committer.timestamp * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

async function kindOf(bytes: Buffer): Promise<string | undefined> {
  const { parseObject } = await import('../../lib/layout/index.ts');
  const kind = (parseObject(bytes.toString('utf8')) as { kind?: unknown }).kind;
  return typeof kind === 'string' ? kind : undefined;
}

/** `deploy/web` (with -n) or a repository path → the path whose history to show. */
async function resolveObjectPath(repository: SnapshotRepository, spec: string, namespace: string | undefined, prefix: string | undefined): Promise<string> {
  if (spec.endsWith('.yaml') || spec.split('/').length > 2) return spec;
  const [kind, name, ...rest] = spec.split('/');
  if (!kind || !name || rest.length) throw new UsageError(`"${spec}" is neither KIND/NAME (deploy/web) nor a path in the repository.`);
  const { objectPath, parseObjectPath } = await import('../../lib/layout/index.ts');
  const candidates: string[] = [];
  for (const [path, blob] of await repository.readFiles()) {
    const identity = parseObjectPath(path, prefix);
    if (!identity || identity.name !== name) continue;
    // Like kubectl, -n does not apply to cluster-scoped kinds.
    if (namespace !== undefined && identity.namespace !== undefined && identity.namespace !== namespace) continue;
    if (spellingMatchesKind(kind, { ...identity, kind: await kindOf(await repository.readBlob(blob)) })) candidates.push(path);
  }
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) throw new UsageError(`"${spec}" names ${candidates.length} objects (${candidates.join(', ')}); choose one with -n or give its path.`);
  // Not at HEAD (perhaps deleted): a built-in kind still tells where it lived.
  const builtin = builtinKindFor(kind);
  if (!builtin) throw new UsageError(`No object "${spec}" is in the repository; give its path instead.`);
  const paths = [objectPath({ ...builtin, name }, prefix)];
  if (namespace !== undefined) paths.unshift(objectPath({ ...builtin, namespace, name }, prefix));
  for (const path of paths) if ((await repository.log({ path, limit: 1 })).length) return path;
  throw new UsageError(`No object "${spec}"${namespace ? ` in namespace ${namespace}` : ''} was ever in the repository.`);
}

interface LogLine {
  entry: LogEntry;
  change?: ObjectChange;
}

export function registerLogCommand(program: Command): void {
  const command = new Command('log')
    .description('the commits that changed the repository or one object (deploy/web with -n, or a path), newest first')
    .argument('[resource]', 'KIND/NAME as kubectl spells it (deploy/web, deployments.apps/web), or a path in the repository')
    .option('-n, --namespace <name>', 'the namespace of KIND/NAME')
    .option('-p, --patch', 'show each change: field changes and the unified YAML diff')
    .option('--limit <count>', 'at most this many commits', (value) => {
      if (!/^\d+$/.test(value)) throw new UsageError(`--limit "${value}" is not a number.`);
      return Number(value);
    })
    .option('--prefix <dir>', 'the folder of the repository the snapshot was written under')
    .option('--show-secrets', 'show Secret values stored readable instead of hiding them');
  addOutputOption(command);
  command.action(async (resource: string | undefined, _options, self: Command) => {
    const { formatFieldChange, objectChange, unifiedDiff } = await import('../../lib/diff/index.ts');
    const { SnapshotRepository } = await import('../../lib/store/index.ts');
    const options = globalsOf(self);
    const repository = await SnapshotRepository.open(options.repo!, { create: false });
    const path = resource === undefined ? undefined : await resolveObjectPath(repository, resource, options.namespace, options.prefix);
    const lines: LogLine[] = [];
    for (const entry of await repository.log({ path, limit: options.limit })) {
      if (path === undefined) {
        lines.push({ entry });
        continue;
      }
      const after = await repository.readFile(entry.commit, path);
      const before = entry.parents[0] ? await repository.readFile(entry.parents[0], path) : undefined;
      lines.push({ entry, change: objectChange(path, before, after, { prefix: options.prefix, showSecrets: options.showSecrets }) });
    }
    if (options.output === 'json') {
      process.stdout.write(JSON.stringify(lines.map(({ entry, change }) => ({
        commit: entry.commit,
        time: timeOf(entry),
        manager: managerOf(entry),
        author: `${entry.author.name} <${entry.author.email}>`,
        subject: entry.message.split('\n')[0],
        ...(change ? { path: change.path, change: change.change, fields: change.fields.map((field) => field.path) } : {}),
      })), null, 2) + '\n');
      return;
    }
    for (const { entry, change } of lines) {
      const what = change ? change.change + fieldSummary(change) : entry.message.split('\n')[0];
      process.stdout.write(`${entry.commit.slice(0, 7)} ${timeOf(entry)} ${what} by ${managerOf(entry)}\n`);
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
