import { Command, Option } from 'commander';
import { KubesnapError, UsageError } from '../../lib/errors/index.ts';
import type { DrillReport, DrillTarget } from '../../lib/drill/index.ts';
import { addAgeIdentityOption, ageIdentitiesFrom, type AgeIdentityFlags } from '../options/age.ts';
import { globalsOf } from '../options/globals.ts';
import { addNormalizeOptions, normalizeFrom, type NormalizeFlags } from '../options/normalize.ts';
import { addRepositoryOptions, openRepository, parseAuthor, type RepositoryFlags } from '../options/repository.ts';
import { parseDuration } from '../options/values.ts';
import type { GlobalOptions } from '../main.ts';

interface DrillFlags extends RepositoryFlags, NormalizeFlags, AgeIdentityFlags {
  target: string;
  cleanup?: boolean;
  namespaceRole?: string;
  readyTimeout: string;
  etcdSnapshot?: string;
  etcdDir?: string;
  images?: string;
  imagesInsecure?: boolean;
  report?: string;
  record: boolean;
  author?: string;
  output: 'text' | 'json' | 'markdown';
}

type TargetSpec = { kind: 'sim' } | { kind: 'namespaces' } | { kind: 'kubeconfig'; file: string };

function parseTarget(text: string): TargetSpec {
  if (text === 'sim' || text === 'namespaces') return { kind: text };
  const file = /^kubeconfig:(.+)$/.exec(text)?.[1];
  if (file) return { kind: 'kubeconfig', file };
  throw new UsageError(`--target "${text}" is not sim, namespaces or kubeconfig:FILE.`);
}

/** The cluster a target restores into: the simulator needs none, namespaces the current one, kubeconfig:FILE its own. */
async function drillTarget(
  spec: TargetSpec,
  options: GlobalOptions & DrillFlags,
): Promise<{ target: DrillTarget; close(): void }> {
  if (spec.kind === 'sim') return { target: spec, close: () => {} };
  const { connectToCluster } = await import('../cluster.ts');
  const { client } = await connectToCluster(spec.kind === 'namespaces' ? options : { kubeconfig: spec.file });
  const target: DrillTarget =
    spec.kind === 'namespaces'
      ? { kind: 'namespaces', client, namespaceRole: options.namespaceRole }
      : { kind: 'kubeconfig', client, cleanup: Boolean(options.cleanup) };
  return { target, close: () => client.close() };
}

/** SIGINT/SIGTERM abort the drill, so a namespaces drill still deletes what it made before the process ends. */
function abortOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    },
  };
}

async function render(report: DrillReport, format: string): Promise<string> {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  const { renderDrillMarkdown, renderDrillText } = await import('../../lib/drill/index.ts');
  return format === 'markdown' ? renderDrillMarkdown(report) : renderDrillText(report);
}

export function registerDrillCommand(program: Command): void {
  const command = new Command('drill')
    .description(
      'prove that a revision can be restored: restore it into a scratch target and read it back, restore its etcd snapshot, find its images in the secondary registry; exit 1 when a part fails',
    )
    .argument('[rev]', 'the revision to drill (default: HEAD)')
    .option(
      '--target <target>',
      'where the configuration is restored: sim (the built-in simulated API server, nothing else needed), namespaces (this cluster, each namespace as <ns>-drill-<id>, deleted after), kubeconfig:FILE (a staging cluster)',
      'sim',
    )
    .option('--cleanup', 'with --target kubeconfig:FILE: delete what the drill created afterwards')
    .option(
      '--namespace-role <clusterrole>',
      "with --target namespaces: bind this ClusterRole to the drill's own identity in each drill namespace it creates (least privilege: see templates/deploy/components/drill/namespaces)",
    )
    .option(
      '--ready-timeout <duration>',
      'with --target namespaces: how long restored Deployments and StatefulSets may take to be ready (on a cluster with nodes)',
      '5m',
    )
    .option('--etcd-snapshot <file>', 'also restore this etcd snapshot into a throwaway etcd and check what it serves')
    .option(
      '--etcd-dir <dir>',
      'also drill the newest etcd snapshot in this folder (as kubesnap etcd list --dir lists them)',
    )
    .option(
      '--images <registry>',
      'also check that every image of the revision is in this secondary registry, host[:port][/path] (where kubesnap images mirror --to copied them)',
    )
    .option('--images-insecure', 'talk plain http to the secondary registry')
    .option(
      '--report <file>',
      'also write the report to this file (markdown when it ends in .md, json when .json, else as -o)',
    )
    .option('--no-record', 'do not record the result as a note on the drilled commit (refs/notes/kubesnap-drills)')
    .option('--author <identity>', 'who the drill note is written as, "Name <email>"')
    .addOption(
      new Option('-o, --output <format>', 'report format').choices(['text', 'json', 'markdown']).default('text'),
    );
  addRepositoryOptions(command, { write: false });
  addNormalizeOptions(command);
  addAgeIdentityOption(command);
  command.action(async (rev: string | undefined, _options, self: Command) => {
    const options = globalsOf<DrillFlags>(self);
    const spec = parseTarget(options.target);
    if (options.namespaceRole && spec.kind !== 'namespaces')
      throw new UsageError('--namespace-role is for --target namespaces.');
    if (options.cleanup && spec.kind !== 'kubeconfig')
      throw new UsageError(
        '--cleanup is for --target kubeconfig:FILE; the namespaces target always cleans up and the simulator is thrown away.',
      );
    if (options.etcdSnapshot && options.etcdDir) throw new UsageError('give --etcd-snapshot or --etcd-dir, not both.');
    const { runDrill } = await import('../../lib/drill/index.ts');
    const repository = await openRepository(options, { write: false });
    const normalize = await normalizeFrom(options);
    const ageIdentities = await ageIdentitiesFrom(options);
    const author = options.record === false ? undefined : parseAuthor(options.author);
    const { target, close } = await drillTarget(spec, options);
    const interrupt = abortOnSignals();
    let report: DrillReport;
    try {
      report = await runDrill({
        repository,
        revision: rev,
        prefix: options.prefix,
        author,
        signal: interrupt.signal,
        config: {
          target,
          normalize,
          ageIdentities,
          readyTimeoutMs: parseDuration(options.readyTimeout, '--ready-timeout'),
        },
        etcd:
          options.etcdSnapshot || options.etcdDir
            ? { snapshot: options.etcdSnapshot, dir: options.etcdDir }
            : undefined,
        images: options.images ? { registry: options.images, insecure: Boolean(options.imagesInsecure) } : undefined,
      });
    } catch (error) {
      if (interrupt.signal.aborted)
        throw new KubesnapError(
          'EINTERRUPTED',
          `the drill was interrupted and nothing was recorded${spec.kind === 'namespaces' ? '; the drill namespaces it made were deleted' : ''}.`,
          1,
          { cause: error },
        );
      throw error;
    } finally {
      interrupt.dispose();
      close();
    }
    process.stdout.write(await render(report, options.output));
    if (options.report) {
      const { writeFile } = await import('node:fs/promises');
      const format = options.report.endsWith('.md')
        ? 'markdown'
        : options.report.endsWith('.json')
          ? 'json'
          : options.output;
      await writeFile(options.report, await render(report, format));
    }
    if (!report.passed) process.exitCode = 1;
  });
  program.addCommand(command);
}
