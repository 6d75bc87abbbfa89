import type { Command } from 'commander';
import { UsageError } from '../../lib/errors/index.ts';
import type { KubeClient } from '../../lib/kube/index.ts';
import type { LeaderElector } from '../../lib/leader/index.ts';
import type { Logger } from '../../lib/log/index.ts';
import { parseDuration } from './values.ts';

/** `--leader-elect` and its Lease (watch). */
export function addLeaderElectionOptions(command: Command): Command {
  return command
    .option(
      '--leader-elect',
      'run as one of several replicas: only the holder of a coordination.k8s.io Lease watches and commits',
    )
    .option(
      '--lease-namespace <namespace>',
      "namespace of the Lease (default: the pod's own namespace in a cluster, else the kubeconfig context's, else default)",
    )
    .option('--lease-name <name>', 'name of the Lease', 'kubesnap')
    .option(
      '--lease-duration <duration>',
      'how long a Lease nobody renews stays held; renewed every 2/15 of it and given up after 2/3 without a renewal, as client-go',
      '15s',
    );
}

/** What `addLeaderElectionOptions` parses. */
export interface LeaderElectionFlags {
  leaderElect?: boolean;
  leaseNamespace?: string;
  leaseName: string;
  leaseDuration: string;
}

/** The elector `--leader-elect` asks for, or undefined without it. */
export async function leaderElectorFrom(
  options: LeaderElectionFlags,
  client: KubeClient,
  logger: Logger,
): Promise<LeaderElector | undefined> {
  const leaseDurationMs = parseDuration(options.leaseDuration, '--lease-duration');
  if (leaseDurationMs < 1000)
    throw new UsageError(`--lease-duration "${options.leaseDuration}" is shorter than a second.`);
  if (!options.leaderElect) return undefined;
  const { defaultLeaseNamespace, LeaderElector } = await import('../../lib/leader/index.ts');
  return new LeaderElector({
    client,
    logger,
    leaseDurationMs,
    namespace: options.leaseNamespace ?? defaultLeaseNamespace(client.connection),
    name: options.leaseName,
  });
}
