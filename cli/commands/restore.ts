import { Command } from 'commander';
// summary.ts, not the index: counting a plan's objects does not need the restorer.
import { planCounts } from '../../lib/restore/summary.ts';
import { connectToCluster } from '../cluster.ts';
import { addAgeIdentityOption, ageIdentitiesFrom, type AgeIdentityFlags } from '../options/age.ts';
import { globalsOf } from '../options/globals.ts';
import { addNormalizeOptions, normalizeFrom, type NormalizeFlags } from '../options/normalize.ts';
import { addOutputOption, type OutputFlags } from '../options/output.ts';
import { addRepositoryOptions, openRepository, parseAuthor, type RepositoryFlags } from '../options/repository.ts';
import { addSelectionOptions, selectionFrom, type SelectionFlags } from '../options/selection.ts';
import { collectValues } from '../options/values.ts';
import { createProgress } from '../progress.ts';
import { restoreArguments, restoredPaths } from '../restore/arguments.ts';
import { confirmRestore } from '../restore/confirm.ts';
import { parseDryRun, parseImageRegistryMap } from '../restore/flag-values.ts';
import { clientDryRunText, planText, printResult } from '../restore/output.ts';

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
        process.stdout.write(clientDryRunText(plan, json));
        // The exit code the restore itself would end with: 1 when some object cannot be restored.
        const { blocked, invalid } = planCounts(plan);
        if (blocked + invalid > 0) process.exitCode = 1;
        return;
      }
      if (hasWrites(plan) && dryRun !== 'server' && !options.yes) {
        if (!(await confirmRestore(target))) {
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
      printResult(plan, result, restorer, json);
      if (result.counts.failed + result.counts.notRestored > 0) process.exitCode = 1;
    } finally {
      progress.stop();
      client.close();
    }
  });
  program.addCommand(command);
}
