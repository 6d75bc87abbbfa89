import { Command } from 'commander';
import { hostname } from 'node:os';
import { skipReasons } from '../../lib/normalize/skip-reasons.ts';
// errors.ts and redact.ts, not the index, which loads both Git backends (options/remote.ts loads it with --remote).
import { RemoteError } from '../../lib/remote/errors.ts';
import { redactUrl } from '../../lib/remote/redact.ts';
import type { RemoteSync } from '../../lib/remote/index.ts';
import type { SnapshotResult } from '../../lib/snapshot/index.ts';
import { connectToCluster } from '../cluster.ts';
import { addAgeRecipientOptions, sealerFrom, type AgeRecipientFlags } from '../options/age.ts';
import { globalsOf } from '../options/globals.ts';
import { addNormalizeOptions, normalizeFrom, type NormalizeFlags } from '../options/normalize.ts';
import { addOutputOption, type OutputFlags } from '../options/output.ts';
import { addRemoteOptions, remoteSyncFrom, type RemoteFlags } from '../options/remote.ts';
import { addCommitOptions, openRepository, parseAuthor, type CommitFlags } from '../options/repository.ts';
import { addSelectionOptions, selectionFrom, type SelectionFlags } from '../options/selection.ts';
import { createProgress } from '../progress.ts';

interface SnapshotFlags
  extends CommitFlags,
    SelectionFlags,
    NormalizeFlags,
    AgeRecipientFlags,
    RemoteFlags,
    OutputFlags {
  explain?: boolean;
}

export function registerSnapshotCommand(program: Command): void {
  const command = new Command('snapshot')
    .description(
      'take a one-off snapshot of the cluster into the Git repository (one commit, none when nothing changed)',
    )
    .option('--explain', 'print what was skipped, per reason, with counts');
  addCommitOptions(command);
  addSelectionOptions(command);
  addNormalizeOptions(command);
  addAgeRecipientOptions(command);
  addRemoteOptions(command);
  addOutputOption(command);
  command.action(async (_options, self: Command) => {
    const { takeSnapshot } = await import('../../lib/snapshot/index.ts');
    const { acquireLock } = await import('../../lib/store/index.ts');
    const options = globalsOf<SnapshotFlags>(self);
    const selection = selectionFrom(options);
    const normalize = await normalizeFrom(options);
    const author = parseAuthor(options.author);
    const sealer = await sealerFrom(options);
    const { client, cluster } = await connectToCluster(options);
    const repository = await openRepository(options, { write: true });
    try {
      const remote = await remoteSyncFrom(options, repository, { author });
      const lock = await acquireLock(repository, { pid: process.pid, host: hostname(), command: 'kubesnap snapshot' });
      const progress = await createProgress('collections');
      try {
        // A remote that cannot be fetched does not stop the snapshot: it is committed locally, and the push says why.
        const remoteStartFailure = await remote?.start().then(
          () => undefined,
          (error: unknown) => error,
        );
        if (remoteStartFailure !== undefined && !(remoteStartFailure instanceof RemoteError)) throw remoteStartFailure;
        const result = await takeSnapshot({
          client,
          repository,
          cluster,
          selection,
          normalize,
          sealer,
          author,
          prefix: options.prefix,
          onListingStarted: (total) => progress.start(total),
          onResourceListed: (name, objects) => progress.tick(name, objects),
        });
        progress.stop();
        printResult(result, options.output, Boolean(options.explain));
        if (remote) await pushSnapshot(remote, options.remote!, options.branch);
      } finally {
        progress.stop();
        await lock.release();
        client.close();
      }
    } catch (error) {
      // A first run that fails leaves no empty repository behind.
      await repository.discardIfUnused();
      throw error;
    }
  });
  program.addCommand(command);
}

async function pushSnapshot(remote: RemoteSync, url: string, branch: string): Promise<void> {
  try {
    await remote.push();
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    throw new RemoteError(
      error.failure,
      `${error.message.replace(/\.$/, '')}; the commit is kept in the local repository and the next run pushes it.`,
    );
  }
  process.stderr.write(`pushed to ${redactUrl(url)} (${branch})\n`);
}

function printResult(result: SnapshotResult, output: string, explain: boolean): void {
  if (output === 'json') {
    process.stdout.write(
      JSON.stringify(
        {
          commit: result.commit ?? null,
          summary: result.summary,
          objects: result.objects,
          changes: result.changes,
          skippedObjects: result.skippedObjects,
          skippedKinds: result.skippedKinds,
          unreadable: result.unreadable,
        },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  for (const entry of result.unreadable)
    process.stderr.write(`warning: could not read ${entry.resource}: ${entry.reason}\n`);
  if (explain) {
    for (const [reason, kinds] of Object.entries(result.skippedKinds)) {
      process.stdout.write(
        `skipped ${reason}: ${counted(kinds!.length, 'kind')} (${kinds!.join(', ')}) — ${skipReasons[reason as keyof typeof skipReasons].description}; ${skipReasons[reason as keyof typeof skipReasons].includeFlag} to keep\n`,
      );
    }
    for (const [reason, count] of Object.entries(result.skippedObjects)) {
      process.stdout.write(
        `skipped ${reason}: ${counted(count, 'object')} — ${skipReasons[reason as keyof typeof skipReasons].description}; ${skipReasons[reason as keyof typeof skipReasons].includeFlag} to keep\n`,
      );
    }
  }
  const where = result.commit ? `commit ${result.commit.slice(0, 12)}` : 'no commit, nothing changed';
  const unreadable = result.unreadable.length ? `, ${result.unreadable.length} unreadable` : '';
  process.stdout.write(`snapshot: ${result.summary} (${counted(result.objects, 'object')}, ${where}${unreadable})\n`);
}

/** `1 kind`, `3 kinds`. */
function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
