import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../../lib/errors/index.ts';
import type { Simulator } from '../../lib/sim/index.ts';
import { collectValues } from '../options/values.ts';

interface SimOptions {
  port?: number;
  seed: string[];
  writeKubeconfig?: string;
  tokenFor: string[];
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('must be a port number (0-65535).');
  return port;
}

function parseServiceAccount(value: string): string {
  if (!/^[^/\s]+\/[^/\s]+$/.test(value)) throw new InvalidArgumentError('must be NAMESPACE/NAME of a service account.');
  return value;
}

const collectServiceAccounts = (value: string, previous: string[]): string[] => [
  ...previous,
  parseServiceAccount(value),
];

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

function mintToken(sim: Simulator, account: string): string {
  const [namespace, name] = account.split('/');
  if (!sim.get('', 'serviceaccounts', namespace, name))
    throw new UsageError(`--token-for ${account}: there is no such service account; seed one (kind: ServiceAccount).`);
  return sim.mintToken(namespace, name);
}

export function registerSimCommand(program: Command): void {
  program.addCommand(
    new Command('sim')
      .description(
        'run a simulated Kubernetes API server on 127.0.0.1 (for trying kubesnap, kubectl and tests) until interrupted',
      )
      .option('--port <n>', 'port to listen on (default: a free one)', parsePort)
      .option(
        '--seed <file-or-dir>',
        'multi-document YAML to load at start, namespaces first (repeatable)',
        collectValues,
        [],
      )
      .option('--write-kubeconfig <file>', 'write the kubeconfig here (default: a temporary file)')
      .option(
        '--token-for <namespace/name>',
        'print a bearer token (valid 1h) of this seeded service account, whose requests RBAC authorises, as `kubectl create token` gets one (repeatable)',
        collectServiceAccounts,
        [],
      )
      .action(async (options: SimOptions) => {
        const { loadManifests, startSimulator } = await import('../../lib/sim/index.ts');
        const seed = loadManifests(options.seed);
        const sim = await startSimulator({ port: options.port, kubeconfigPath: options.writeKubeconfig });
        let tokens: string[];
        try {
          sim.seed(seed);
          tokens = options.tokenFor.map((account) => mintToken(sim, account));
        } catch (error) {
          await sim.stop();
          throw error instanceof UsageError
            ? error
            : new UsageError(`The seed manifests could not be loaded: ${(error as Error).message}`);
        }
        const out = (line = ''): boolean => process.stdout.write(line + '\n');
        out(`Simulated Kubernetes API server at ${sim.url} (${seed.length} objects seeded).`);
        out(`kubeconfig: ${sim.kubeconfigPath}`);
        out(`  export KUBECONFIG=${sim.kubeconfigPath}`);
        options.tokenFor.forEach((account, index) => out(`token of service account ${account}: ${tokens[index]}`));
        out('Press Ctrl-C to stop.');
        await waitForSignal();
        await sim.stop();
        out('Stopped.');
      }),
  );
}
