import { Command, Option } from 'commander';
import type { SnapshotCheck, SnapshotListing } from '../../lib/etcd/index.ts';
import { UsageError } from '../../lib/errors/index.ts';
import { globalsOf } from '../options/globals.ts';
import { addOutputOption, type OutputFlags } from '../options/output.ts';

interface SnapshotFlags extends OutputFlags {
  endpoints: string;
  cacert?: string;
  cert?: string;
  key?: string;
  dir: string;
  keep?: string;
}

interface ListFlags extends OutputFlags {
  dir: string;
}

interface RestorePlanFlags extends OutputFlags {
  tool: 'etcdutl' | 'etcdctl';
  name?: string;
  peerUrl?: string;
  initialCluster?: string;
  dataDir: string;
  snapshotPath?: string;
}

export function registerEtcdCommand(program: Command): void {
  const etcd = new Command('etcd').description('etcd v3 snapshots: take, list, verify, and plan a restore');
  for (const command of [snapshotCommand(), listCommand(), verifyCommand(), restorePlanCommand()]) {
    command.exitOverride();
    command.configureOutput({ outputError: () => {} });
    etcd.addCommand(command);
  }
  program.addCommand(etcd);
}

function snapshotCommand(): Command {
  const command = new Command('snapshot')
    .description("take a snapshot over etcd's Maintenance API into DIR/etcd-<UTC time>.db, with a .sha256 beside it")
    .requiredOption('--endpoints <urls>', 'etcd client URLs, comma-separated (https://10.0.0.1:2379,...)')
    .option('--cacert <file>', 'CA certificate (PEM) that signed the etcd server certificate')
    .option('--cert <file>', 'client certificate (PEM)')
    .option('--key <file>', 'client key (PEM)')
    .requiredOption('--dir <dir>', 'folder of snapshots')
    .option(
      '--keep <rules>',
      'then delete old snapshots but: AGE=all|hourly|daily|weekly|monthly, e.g. 24h=all,7d=daily,90d=weekly',
    );
  addOutputOption(command);
  return command.action(async (_options, self: Command) => {
    const { parseRetentionPolicy, pruneSnapshots, takeEtcdSnapshot } = await import('../../lib/etcd/index.ts');
    const options = globalsOf<SnapshotFlags>(self);
    const rules = options.keep === undefined ? undefined : parseRetentionPolicy(options.keep);
    const endpoints = String(options.endpoints)
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean);
    for (const endpoint of endpoints) {
      if (!/^https?:\/\/[^/]+\/?$/.test(endpoint))
        throw new UsageError(`--endpoints "${endpoint}" is not a URL like https://10.0.0.1:2379.`);
    }
    const taken = await takeEtcdSnapshot({
      endpoints,
      cacert: options.cacert,
      cert: options.cert,
      key: options.key,
      dir: options.dir,
    });
    const deleted = rules ? await pruneSnapshots(options.dir, rules, taken.takenAt) : [];
    if (options.output === 'json') {
      process.stdout.write(
        JSON.stringify(
          {
            file: taken.file,
            bytes: taken.bytes,
            sha256: taken.sha256,
            revision: taken.revision ?? null,
            deleted: deleted.map((entry) => entry.file),
          },
          null,
          2,
        ) + '\n',
      );
      return;
    }
    process.stdout.write(
      `etcd snapshot: ${taken.file} (${formatBytes(taken.bytes)}, revision ${taken.revision ?? 'unknown'}, sha256 ${taken.sha256.slice(0, 12)})\n`,
    );
    for (const entry of deleted) process.stdout.write(`deleted ${entry.file} (by --keep)\n`);
  });
}

function listCommand(): Command {
  const command = new Command('list')
    .description('list the snapshots in DIR, newest first, with size, revision and age')
    .requiredOption('--dir <dir>', 'folder of snapshots');
  addOutputOption(command);
  return command.action(async (_options, self: Command) => {
    const { listEtcdSnapshots } = await import('../../lib/etcd/index.ts');
    const options = globalsOf<ListFlags>(self);
    const listing = await listEtcdSnapshots(options.dir);
    if (options.output === 'json') {
      process.stdout.write(JSON.stringify(listing.map(listingJson), null, 2) + '\n');
      return;
    }
    const now = Date.now();
    const rows = [
      ['NAME', 'SIZE', 'REVISION', 'AGE'],
      ...listing.map((entry) => [
        entry.name,
        formatBytes(entry.bytes),
        String(entry.revision ?? '-'),
        formatAge(now - entry.takenAt.getTime()),
      ]),
    ];
    process.stdout.write(table(rows));
  });
}

function listingJson(entry: SnapshotListing): object {
  return {
    name: entry.name,
    file: entry.file,
    takenAt: entry.takenAt.toISOString(),
    bytes: entry.bytes,
    revision: entry.revision ?? null,
  };
}

function verifyCommand(): Command {
  const command = new Command('verify')
    .description(
      "check a snapshot file (bolt meta pages and pages, etcd's sha256 trailer, the .sha256 beside it); exit 1 when damaged",
    )
    .argument('<file>', 'the snapshot file');
  addOutputOption(command);
  return command.action(async (file: string, _options, self: Command) => {
    const { checkSnapshotFile } = await import('../../lib/etcd/index.ts');
    const options = globalsOf<OutputFlags>(self);
    const check = await checkSnapshotFile(file);
    if (options.output === 'json') process.stdout.write(JSON.stringify(checkJson(check), null, 2) + '\n');
    else printCheck(check);
    if (check.problems.length) process.exitCode = 1;
  });
}

function checkJson(check: SnapshotCheck): object {
  return {
    ...check,
    revision: check.revision ?? null,
    recordedSha256: check.recordedSha256 ?? null,
    intact: check.problems.length === 0,
  };
}

function printCheck(check: SnapshotCheck): void {
  if (check.problems.length === 0) {
    const trailer = check.etcdHashAppended ? 'sha256 trailer matches' : 'no sha256 trailer (a copied data file)';
    process.stdout.write(
      `${check.file}: intact (${formatBytes(check.bytes)}, revision ${check.revision ?? 'unknown'}, ${check.totalKeys} keys, ${trailer})\n`,
    );
    return;
  }
  process.stdout.write(`${check.file}: DAMAGED\n`);
  for (const problem of check.problems) process.stdout.write(`  - ${problem}\n`);
}

function restorePlanCommand(): Command {
  const command = new Command('restore-plan')
    .description(
      'print the commands that restore a snapshot on a control-plane node (static-pod etcd and kube-apiserver)',
    )
    .argument('<file>', 'the snapshot file')
    .addOption(
      new Option('--tool <tool>', 'etcdutl (etcd 3.5+) or etcdctl (etcd 3.4)')
        .choices(['etcdutl', 'etcdctl'])
        .default('etcdutl'),
    )
    .option('--name <member>', "the etcd member name (default: the node's hostname)")
    .option('--peer-url <url>', "this member's peer URL (default: https://<node IP>:2380)")
    .option(
      '--initial-cluster <members>',
      'every member as NAME=PEER_URL, comma-separated (default: this member alone)',
    )
    .option('--data-dir <dir>', 'etcd data directory on the node', '/var/lib/etcd')
    .option('--snapshot-path <path>', 'where the snapshot file will be on the node (default: /root/<file name>)');
  addOutputOption(command);
  return command.action(async (file: string, _options, self: Command) => {
    const { checkSnapshotFile, etcdRestorePlan } = await import('../../lib/etcd/index.ts');
    const options = globalsOf<RestorePlanFlags>(self);
    const check = await checkSnapshotFile(file);
    const plan = etcdRestorePlan(check, {
      tool: options.tool,
      name: options.name,
      peerUrl: options.peerUrl,
      initialCluster: options.initialCluster,
      dataDir: options.dataDir,
      snapshotPath: options.snapshotPath,
    });
    if (options.output === 'json') {
      process.stdout.write(JSON.stringify(plan, null, 2) + '\n');
    } else {
      plan.steps.forEach((step, index) => {
        process.stdout.write(`# ${index + 1}. ${step.title}\n${step.commands.join('\n')}\n\n`);
      });
      for (const note of plan.notes) process.stdout.write(`# note: ${note}\n`);
    }
    if (check.problems.length) process.exitCode = 1;
  });
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_cell, column) => Math.max(...rows.map((row) => row[column].length)));
  return (
    rows
      .map((row) =>
        row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '),
      )
      .join('\n') + '\n'
  );
}
