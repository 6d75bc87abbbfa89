import { Command } from 'commander';
import { hostname } from 'node:os';
import { DRILL_NOTES_REF } from '../../lib/drill/drill-record.ts';
import { createLogger } from '../../lib/log/index.ts';
import { connectToCluster } from '../cluster.ts';
import { valueSourceName } from '../config.ts';
import { addAgeRecipientOptions, sealerFrom, type AgeRecipientFlags } from '../options/age.ts';
import { globalsOf } from '../options/globals.ts';
import { addLeaderElectionOptions, leaderElectorFrom, type LeaderElectionFlags } from '../options/leader-election.ts';
import { addNormalizeOptions, normalizeFrom, type NormalizeFlags } from '../options/normalize.ts';
import { addRemoteOptions, remoteSyncFrom, type RemoteFlags } from '../options/remote.ts';
import { addCommitOptions, openRepository, parseAuthor, type CommitFlags } from '../options/repository.ts';
import { addSelectionOptions, selectionFrom, type SelectionFlags } from '../options/selection.ts';
import { parseDuration, parsePositiveInteger } from '../options/values.ts';

interface WatchFlags
  extends CommitFlags,
    SelectionFlags,
    NormalizeFlags,
    RemoteFlags,
    AgeRecipientFlags,
    LeaderElectionFlags {
  batch: string;
  batchMax: string;
  listen?: string;
  discoveryInterval: string;
  maxBacklog: string;
  maxFailing: string;
  maxUnreachable: string;
  pushInterval: string;
}

export function registerWatchCommand(program: Command): void {
  const command = new Command('watch')
    .description(
      'keep the repository in step with the cluster: list, then watch every kind, committing changes in batches',
    )
    .option('--batch <duration>', 'commit this long after the first pending change (0: each change at once)', '5s')
    .option('--batch-max <count>', 'commit at once when this many changes are pending', '1000')
    .option('--listen <address>', 'serve /healthz, /readyz and /metrics on [host]:port (e.g. :9090)')
    .option(
      '--max-backlog <changes>',
      'stop reading events while this many changes are pending or being written, until a commit makes room',
      '10000',
    )
    .option('--discovery-interval <duration>', 'how often to look for kinds that came or went', '60s')
    .option(
      '--max-failing <duration>',
      'exit 1 after commits have failed for this long (failed commits are retried until then)',
      '5m',
    )
    .option('--max-unreachable <duration>', '/readyz fails once the API server has not answered for this long', '30s')
    .option('--push-interval <duration>', 'with --remote: push at most this often (failures back off from it)', '30s');
  addCommitOptions(command);
  addSelectionOptions(command);
  addNormalizeOptions(command);
  addRemoteOptions(command);
  addAgeRecipientOptions(command);
  addLeaderElectionOptions(command);
  command.action(async (_options, self: Command) => {
    const { startStatusServer } = await import('../../lib/metrics/status-server.ts');
    const { acquireLock } = await import('../../lib/store/index.ts');
    const { ClusterSync, CommitsFailingError, RepositoryPresence } = await import('../../lib/sync/index.ts');
    const { LeadershipLostError } = await import('../../lib/leader/index.ts');
    const options = globalsOf<WatchFlags>(self);
    const logger = createLogger({ format: options.logFormat, verbosity: options.verbose });
    // A bad value is named where it came from: the flag, or the variable or file key that set it.
    const named = (attribute: string, flag: string) => valueSourceName(self, attribute, flag);
    const batchMs = parseDuration(options.batch, named('batch', '--batch'));
    const batchMax = parsePositiveInteger(options.batchMax, named('batchMax', '--batch-max'));
    const maxBacklog = parsePositiveInteger(options.maxBacklog, named('maxBacklog', '--max-backlog'));
    const discoveryIntervalMs = parseDuration(
      options.discoveryInterval,
      named('discoveryInterval', '--discovery-interval'),
    );
    const maxFailingMs = parseDuration(options.maxFailing, named('maxFailing', '--max-failing'));
    const unreachableAfterMs = parseDuration(options.maxUnreachable, named('maxUnreachable', '--max-unreachable'));
    const pushIntervalMs = parseDuration(options.pushInterval, named('pushInterval', '--push-interval'));
    const selection = selectionFrom(options);
    const normalize = await normalizeFrom(options);
    const author = parseAuthor(options.author);
    const sealer = await sealerFrom(options);
    const { client, cluster } = await connectToCluster(options);
    const repository = await openRepository(options, { write: true });
    const presence = new RepositoryPresence(repository);
    try {
      const remote = await remoteSyncFrom(options, repository, {
        author,
        logger,
        pushIntervalMs,
        waitForRemoteWhenEmpty: true,
        notesRefs: [DRILL_NOTES_REF],
      });
      const lock = await acquireLock(repository, { pid: process.pid, host: hostname(), command: 'kubesnap watch' });
      const elector = await leaderElectorFrom(options, client, logger);
      const sync = new ClusterSync({
        client,
        repository,
        author,
        cluster,
        selection,
        normalize,
        sealer,
        prefix: options.prefix,
        batchMs,
        batchMax,
        maxBacklog,
        discoveryIntervalMs,
        maxFailingMs,
        unreachableAfterMs,
        leadership: elector,
        presence,
        logger,
        remote,
      });
      const status = options.listen
        ? await startStatusServer({
            listen: options.listen,
            registry: sync.metrics.registry,
            readiness: () => sync.readiness(),
          })
        : undefined;
      if (status) logger.info('serving /healthz, /readyz and /metrics', { address: status.address });
      logger.info('watching', { server: cluster.server, context: cluster.context, repository: repository.dir });

      const stopping = new AbortController();
      const stopRequested = new Promise<string>((resolve) => {
        const stop = (signal: string) => {
          stopping.abort();
          resolve(signal);
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      let started = false;
      let lostLeadership = false;
      let uncommitted: Error | undefined;
      try {
        if (elector) {
          // Only the Lease holder watches and commits; ClusterSync.start() then catches up from the remote first.
          elector.start();
          logger.info('waiting for the lease', { identity: elector.identity });
          const first = await Promise.race([elector.acquired.then(() => 'acquired'), stopRequested]);
          if (first !== 'acquired') return;
        }
        // A stop while a new repository waits for its remote: nothing was written, so nothing is left uncommitted (exit 0).
        started = await sync.start(stopping.signal);
        if (!started) {
          logger.info('stopped before the remote answered; nothing was written', { reason: await stopRequested });
          return;
        }
        const outcome = await Promise.race([
          stopRequested.then((signal) => ({ signal })),
          sync.done.then(() => ({ signal: 'done' })),
          ...(elector ? [elector.lost.then(() => ({ signal: 'lost the lease' }))] : []),
        ]);
        lostLeadership = outcome.signal === 'lost the lease';
        logger.info('stopping: committing what is pending', { reason: outcome.signal });
      } finally {
        const commit = started
          ? await sync.stop().catch((error: unknown) => {
              logger.error('the last batch could not be committed', { error: String(error) });
              uncommitted = new CommitsFailingError(
                `the last batch could not be committed: ${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}.`,
                { cause: error },
              );
              return undefined;
            })
          : undefined;
        if (commit) logger.info('committed', { commit: commit.slice(0, 12) });
        // Released after the last commit, so a standby starts from it.
        await elector?.stop();
        await status?.close();
        await lock.release();
        client.close();
      }
      if (lostLeadership && elector) throw new LeadershipLostError(elector.lease);
      if (uncommitted) throw uncommitted;
    } catch (error) {
      // A first run that fails leaves no empty repository behind.
      await repository.discardIfUnused();
      throw error;
    }
  });
  program.addCommand(command);
}
