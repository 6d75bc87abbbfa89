import { Command, InvalidArgumentError } from 'commander';
import { UsageError } from '../../lib/errors/index.ts';

interface SimOptions {
  port?: number;
  seed: string[];
  writeKubeconfig?: string;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('must be a port number (0-65535).');
  return port;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

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

export function registerSimCommand(program: Command): void {
  program.addCommand(
    new Command('sim')
      .description('run a simulated Kubernetes API server on 127.0.0.1 (for trying kubesnap, kubectl and tests) until interrupted')
      .option('--port <n>', 'port to listen on (default: a free one)', parsePort)
      .option('--seed <file-or-dir>', 'multi-document YAML to load at start, namespaces first (repeatable)', collect, [])
      .option('--write-kubeconfig <file>', 'write the kubeconfig here (default: a temporary file)')
      .action(async (options: SimOptions) => {
        const { loadManifests, startSimulator } = await import('../../lib/sim/index.ts');
        const seed = loadManifests(options.seed);
        const sim = await startSimulator({ port: options.port, kubeconfigPath: options.writeKubeconfig });
        try {
          sim.seed(seed);
        } catch (error) {
          await sim.stop();
          throw error instanceof UsageError ? error : new UsageError(`The seed manifests could not be loaded: ${(error as Error).message}`);
        }
        const out = (line = ''): boolean => process.stdout.write(line + '\n');
        out(`Simulated Kubernetes API server at ${sim.url} (${seed.length} objects seeded).`);
        out(`kubeconfig: ${sim.kubeconfigPath}`);
        out(`  export KUBECONFIG=${sim.kubeconfigPath}`);
        out('Press Ctrl-C to stop.');
        await waitForSignal();
        await sim.stop();
        out('Stopped.');
      }),
  );
}
