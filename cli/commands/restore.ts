import { Command } from 'commander';
import { createInterface } from 'node:readline/promises';
import { UsageError } from '../../lib/errors/index.ts';
import { formatFieldChange } from '../../lib/json/field-changes.ts';
import type { PlannedObject, RestorePlan, RestoreResult } from '../../lib/restore/index.ts';
import type { RevisionSpec } from '../../lib/store/index.ts';
// summary.ts, not the index: formatting a plan does not need the restorer.
import { planCounts } from '../../lib/restore/summary.ts';
import { connectToCluster } from '../cluster.ts';
import { addAgeIdentityOption, ageIdentitiesFrom, type AgeIdentityFlags } from '../options/age.ts';
import { globalsOf } from '../options/globals.ts';
import { addNormalizeOptions, normalizeFrom, type NormalizeFlags } from '../options/normalize.ts';
import { addOutputOption, type OutputFlags } from '../options/output.ts';
import { addRepositoryOptions, openRepository, parseAuthor, type RepositoryFlags } from '../options/repository.ts';
import { addSelectionOptions, selectionFrom, type SelectionFlags } from '../options/selection.ts';
import { collectValues, parseTime } from '../options/values.ts';
import { parseKindName } from '../object-arguments.ts';
import { pathspecGlobs } from '../pathspecs.ts';
import { createProgress } from '../progress.ts';
import type { ImageRegistryMapping } from '../../lib/images/index.ts';
import type { SelectionOptions } from '../../lib/selection/index.ts';
import type { SnapshotRepository } from '../../lib/store/index.ts';
import { splitRevisionPath } from '../../lib/store/revision-syntax.ts';

type DryRun = 'client' | 'server' | undefined;

interface RestoreFlags extends RepositoryFlags, SelectionFlags, NormalizeFlags, AgeIdentityFlags, OutputFlags {
  at?: string;
  path?: string[];
  prune?: boolean;
  dryRun?: boolean | string;
  namespaceMap?: string[];
  imageRegistryMap?: string[];
  includeClusterScoped?: boolean;
  forceConflicts?: boolean;
  recreate?: boolean;
  author?: string;
  yes?: boolean;
}

function parseDryRun(value: unknown): DryRun {
  if (value === undefined || value === false) return undefined;
  if (value === true || value === 'client') return 'client';
  if (value === 'server') return 'server';
  throw new UsageError(
    `--dry-run "${value}" is not client or server (write --dry-run=server; a revision goes before the flag).`,
  );
}

function parseImageRegistryMap(pairs: readonly string[]): ImageRegistryMapping[] {
  return pairs.map((pair) => {
    const match = /^([^=\s]+)=([^=\s]+)$/.exec(pair.trim());
    if (!match) throw new UsageError(`--image-registry-map "${pair}" is not of the form FROM=TO.`);
    return { from: match[1], to: match[2] };
  });
}

/** kubectl's resource arguments: `deploy/web svc/api`, or `deploy web api`. */
function parseResourceArguments(args: readonly string[]): Array<{ kind: string; name: string }> {
  const named = args.map(parseKindName);
  if (named.every((spec) => spec !== undefined)) return named as Array<{ kind: string; name: string }>;
  if (args.length > 1 && !args.some((arg) => arg.includes('/')))
    return args.slice(1).map((name) => ({ kind: args[0], name }));
  throw new UsageError(
    `"${args.join(' ')}" is not a list of objects as kubectl takes them (deploy/web svc/api, or deploy web api).`,
  );
}

interface RestoreArguments {
  revision: RevisionSpec;
  /** From `REV:PATH`: the file or folder to restore. */
  pathspec?: string;
  resources: Array<{ kind: string; name: string }>;
}

/** `[REV | REV:PATH] [KIND/NAME...]`; a first argument that is no revision but an object is the first object (of HEAD). */
async function restoreArguments(
  repository: SnapshotRepository,
  args: string[],
  at: string | undefined,
): Promise<RestoreArguments> {
  if (at !== undefined) {
    if (args.length > 0 && (splitRevisionPath(args[0])[1] !== undefined || !parseKindName(args[0])))
      throw new UsageError('give a revision or --at, not both.');
    return { revision: { at: parseTime(at, '--at') }, resources: parseResourceArguments(args) };
  }
  if (args.length === 0) return { revision: 'HEAD', resources: [] };
  const [first, ...rest] = args;
  const [revision, pathspec] = splitRevisionPath(first);
  if (pathspec !== undefined) return { revision, pathspec, resources: rest.length ? parseResourceArguments(rest) : [] };
  try {
    await repository.resolve(first);
  } catch (error) {
    if (parseKindName(first)) return { revision: 'HEAD', resources: parseResourceArguments(args) };
    throw error;
  }
  return { revision: first, resources: rest.length ? parseResourceArguments(rest) : [] };
}

/** The files restored: `REV:PATH`, the named objects, or --path globs (one of these ways). */
async function restoredPaths(
  repository: SnapshotRepository,
  target: RestoreArguments,
  globs: string[] | undefined,
  selection: SelectionOptions,
  prefix: string | undefined,
): Promise<string[] | undefined> {
  if ([target.pathspec !== undefined, target.resources.length > 0, Boolean(globs?.length)].filter(Boolean).length > 1) {
    throw new UsageError('choose the files to restore one way: REV:PATH, KIND/NAME arguments, or --path.');
  }
  if (target.pathspec !== undefined) return pathspecGlobs([target.pathspec]);
  if (target.resources.length === 0) return globs;
  const { resolveRevisionSpec } = await import('../../lib/store/index.ts');
  const { namespaceMatcher } = await import('../../lib/selection/index.ts');
  const { objectPathsNamed } = await import('../../lib/history/object-lookup.ts');
  const { commit, label } = await resolveRevisionSpec(repository, target.revision);
  const selected = namespaceMatcher(selection);
  const paths: string[] = [];
  for (const resource of target.resources) {
    const found = await objectPathsNamed(repository, commit, resource, selected, prefix);
    if (found.length === 0)
      throw new UsageError(
        `${resource.kind}/${resource.name} matches nothing in ${label}${selection.namespaces?.length ? ` (-n ${selection.namespaces.join(',')})` : ''}, so there is nothing to restore.`,
      );
    paths.push(...found.map(literalGlob));
  }
  return paths;
}

/** A path as a glob that matches only itself. */
function literalGlob(path: string): string {
  return path.replace(/[*?[\]{}()!+@\\]/g, '\\$&');
}

const marks: Record<PlannedObject['action'], string> = {
  create: '+',
  update: '~',
  delete: '-',
  unchanged: '=',
  blocked: '!',
  invalid: '✗',
};

function objectLines(object: PlannedObject): string[] {
  const warnings = object.warnings.map((warning) => `        warning: ${warning}`);
  if (object.action === 'blocked' || object.action === 'invalid') {
    return [
      `  ${marks[object.action]} ${object.ref}${object.path ? ` (${object.path})` : ''}: ${object.reason}`,
      ...warnings,
    ];
  }
  return [
    `  ${marks[object.action]} ${object.action.padEnd(6)} ${object.ref}`,
    ...object.fields.map((change) => `        ${formatFieldChange(change)}`),
    ...warnings,
  ];
}

/** Objects outside every namespace other than Namespaces: shared by the whole cluster, so listed apart (a refused file stays where its path put it). */
function isClusterWide(object: PlannedObject): boolean {
  return (
    object.namespace === undefined &&
    !(object.group === '' && object.kind === 'Namespace') &&
    object.action !== 'invalid'
  );
}

function planText(plan: RestorePlan, target: string): string {
  const lines = [`Restore plan: ${plan.revision.label} (${plan.revision.commit.slice(0, 7)}) → ${target}`];
  const shown = plan.objects.filter((o) => o.action !== 'unchanged' || o.warnings.length > 0);
  lines.push(...shown.filter((o) => !isClusterWide(o)).flatMap(objectLines));
  const clusterWide = shown.filter(isClusterWide);
  if (clusterWide.length > 0)
    lines.push('Cluster-scoped objects (shared by every namespace):', ...clusterWide.flatMap(objectLines));
  const counts = planCounts(plan);
  const problems = [
    counts.blocked ? `, ${counts.blocked} not restorable` : '',
    counts.invalid ? `, ${counts.invalid} invalid` : '',
  ].join('');
  lines.push(
    `Plan: ${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete, ${counts.unchanged} unchanged${problems}.`,
  );
  return lines.join('\n') + '\n';
}

/** What a server dry run sent and what it could not: never "validated" for a write the server did not see. */
function serverDryRunNote(result: RestoreResult): string {
  const writes = result.objects.filter((o) => o.action === 'create' || o.action === 'update' || o.action === 'delete');
  const unsent = writes.filter((o) => o.unvalidated).length;
  const sent = writes.length - unsent;
  if (unsent === 0) return ` (server dry run, nothing changed: the server validated all ${sent} writes)`;
  return ` (server dry run, nothing changed: the server validated ${sent} of ${writes.length} writes; ${unsent} were not sent, as they need objects this restore creates)`;
}

function summaryLine(result: RestoreResult): string {
  const { counts } = result;
  const notRestored = counts.notRestored ? `, not restored ${counts.notRestored}` : '';
  const dryRun = result.dryRun === 'server' ? serverDryRunNote(result) : '';
  return `restore: created ${counts.created}, updated ${counts.updated}, unchanged ${counts.unchanged}, deleted ${counts.deleted}, failed ${counts.failed}${notRestored}${dryRun}\n`;
}

function planJson(plan: RestorePlan) {
  return plan.objects.map((o) => ({
    ref: o.ref,
    path: o.path || undefined,
    action: o.action,
    reason: o.reason,
    fields: o.fields.length ? o.fields.map(formatFieldChange) : undefined,
    warnings: o.warnings.length ? o.warnings : undefined,
  }));
}

async function confirm(target: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`Apply this plan to ${target}? Only 'yes' will be accepted: `);
    return answer.trim() === 'yes';
  } finally {
    prompt.close();
  }
}

export function registerRestoreCommand(program: Command): void {
  const command = new Command('restore')
    .description(
      'put the cluster (or the selected part of it) back as a revision has it: plan, confirm, apply in dependency order',
    )
    .usage('[options] [rev | rev:path] [KIND/NAME...]')
    .argument(
      '[rev]',
      'the revision to restore, as git spells it (default HEAD); REV:PATH restores one file or folder of it',
    )
    .argument(
      '[objects...]',
      'only these objects, as kubectl names them: deploy/web svc/api, or deploy web api (with -n for their namespace)',
    )
    .option(
      '--at <time>',
      'restore the last commit at or before this time (2026-11-20T10:00Z, yesterday, "2 hours ago", 1h)',
    )
    .option('--path <glob>', 'only files matching this glob (repeatable)', collectValues)
    .option('--prune', 'also delete live objects of the selection that the revision does not have')
    .option(
      '--dry-run [mode]',
      'client (the default): print the plan only; server: also send every write with dryRun=All',
    )
    .option(
      '--namespace-map <from=to>',
      'restore namespace FROM into namespace TO, creating it (repeatable); without -n or -A only the mapped namespaces are restored',
      collectValues,
    )
    .option(
      '--image-registry-map <from=to>',
      'rewrite image references from registry (or repository prefix) FROM to TO, e.g. to a mirror made with `kubesnap images mirror` (repeatable)',
      collectValues,
    )
    .option(
      '--include-cluster-scoped',
      'with -n or --namespace-map, also restore cluster-scoped objects other than the Namespaces (ClusterRoles, CRDs, ...); -A does the same',
    )
    .option(
      '--force-conflicts',
      "also restore fields that controllers own: an autoscaled workload's replicas, fields the cluster's managers own per managedFields",
    )
    .option('--recreate', 'delete and create an object whose update is refused because an immutable field differs')
    .option(
      '--author <identity>',
      'who runs the restore, "Name <email>", named by the history a watch keeps (default: the user the API server says you are, as `kubectl auth whoami`, else the kubeconfig user)',
    )
    .option('-y, --yes', 'apply without asking');
  addRepositoryOptions(command, { write: false });
  addSelectionOptions(command);
  addNormalizeOptions(command);
  addAgeIdentityOption(command);
  addOutputOption(command);
  command.action(async (rev: string | undefined, objects: string[], _options, self: Command) => {
    const { applyRestore, hasWrites, parseNamespaceMap, planRestore, recordRestore, restorerName } = await import(
      '../../lib/restore/index.ts'
    );
    const options = globalsOf<RestoreFlags>(self);
    const dryRun = parseDryRun(options.dryRun);
    const author = options.author === undefined ? undefined : parseAuthor(options.author);
    const namespaceMap = parseNamespaceMap(options.namespaceMap ?? []);
    const imageRegistryMap = parseImageRegistryMap(options.imageRegistryMap ?? []);
    // A drill restores the namespaces it maps, never the rest of the cluster in place, unless -n or -A says otherwise.
    const mappedOnly = namespaceMap.size > 0 && !options.namespace?.length && !options.allNamespaces;
    const selection = mappedOnly
      ? { ...selectionFrom(options), namespaces: [...namespaceMap.keys()] }
      : selectionFrom(options);
    const normalize = await normalizeFrom(options);
    const ageIdentities = await ageIdentitiesFrom(options);
    const json = options.output === 'json';
    const repository = await openRepository(options, { write: false });
    const restoring = await restoreArguments(repository, [...(rev === undefined ? [] : [rev]), ...objects], options.at);
    const { revision } = restoring;
    const paths = await restoredPaths(repository, restoring, options.path, selection, options.prefix);
    const { client, cluster } = await connectToCluster(options);
    const target = `${cluster.context} (${cluster.server})`;
    const progress = await createProgress('writes');
    try {
      const plan = await planRestore({
        client,
        repository,
        revision,
        selection,
        normalize,
        namespaceMap,
        imageRegistryMap,
        ageIdentities,
        paths,
        prefix: options.prefix,
        prune: Boolean(options.prune),
        includeClusterScoped: Boolean(options.includeClusterScoped || options.allNamespaces),
        forceConflicts: Boolean(options.forceConflicts),
      });
      if (!json) process.stdout.write(planText(plan, target));
      if (dryRun === 'client') {
        // The exit code the restore itself would end with: 1 when some object cannot be restored.
        const { blocked, invalid } = planCounts(plan);
        if (json)
          process.stdout.write(
            JSON.stringify({ revision: plan.revision, dryRun, plan: planJson(plan) }, null, 2) + '\n',
          );
        else if (blocked + invalid > 0)
          process.stdout.write(
            `Dry run: nothing was sent to the cluster; ${blocked + invalid} objects cannot be restored (marked ! and ✗ above).\n`,
          );
        else process.stdout.write('Dry run: nothing was sent to the cluster.\n');
        if (blocked + invalid > 0) process.exitCode = 1;
        return;
      }
      if (hasWrites(plan) && dryRun !== 'server' && !options.yes) {
        if (!process.stdin.isTTY)
          throw new UsageError(
            'restore would change the cluster and there is no terminal to confirm on; pass --yes to apply (or --dry-run to only plan).',
          );
        if (!(await confirm(target))) {
          process.stderr.write('restore cancelled; nothing was changed.\n');
          process.exitCode = 1;
          return;
        }
      }
      const restorer = await restorerName(client, author, {
        warn: (message) => process.stderr.write(`warning: ${message}\n`),
      });
      progress.start(
        plan.objects.filter((o) => o.action === 'create' || o.action === 'update' || o.action === 'delete').length,
      );
      const result = await applyRestore(plan, {
        client,
        dryRun: dryRun === 'server' ? 'server' : undefined,
        recreate: Boolean(options.recreate),
        restorer,
        onObjectDone: (done) => {
          if (done.action !== 'unchanged' && done.action !== 'blocked' && done.action !== 'invalid')
            progress.tick(done.ref, 1);
        },
      });
      progress.stop();
      const { created, updated, deleted } = result.counts;
      if (!result.dryRun && created + updated + deleted > 0) {
        // The cluster has changed whatever happens here: a repository that cannot be written only gets a warning.
        await recordRestore(
          repository,
          { result, restorer, target, at: new Date() },
          author ?? parseAuthor(undefined),
        ).catch((error: unknown) =>
          process.stderr.write(
            `warning: the restore was not noted on ${result.revision.commit.slice(0, 7)}: ${error instanceof Error ? error.message : error}\n`,
          ),
        );
      }
      if (json) {
        process.stdout.write(
          JSON.stringify(
            {
              revision: result.revision,
              dryRun: result.dryRun,
              restoredBy: restorer,
              plan: planJson(plan),
              results: result.objects,
              counts: result.counts,
            },
            null,
            2,
          ) + '\n',
        );
      } else {
        for (const object of result.objects) {
          if (object.message)
            process.stderr.write(
              `${object.outcome === 'failed' || object.outcome === 'not-restored' ? 'error' : 'note'}: ${object.message}\n`,
            );
        }
        process.stdout.write(summaryLine(result));
      }
      if (result.counts.failed + result.counts.notRestored > 0) process.exitCode = 1;
    } finally {
      progress.stop();
      client.close();
    }
  });
  program.addCommand(command);
}
