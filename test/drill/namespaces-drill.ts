// `kubesnap drill --target namespaces` as the namespaces drill's tests run it: as the user of `kubeconfig`, from `repo`.
import { runCli, type CliResult } from '../helpers/cli.ts';

export function namespacesDrillArguments(kubeconfig: string, repo: string, ...more: string[]): string[] {
  return ['--kubeconfig', kubeconfig, 'drill', '--repo', repo, '--target', 'namespaces', ...more];
}

export function runNamespacesDrill(kubeconfig: string, repo: string, ...more: string[]): Promise<CliResult> {
  return runCli(namespacesDrillArguments(kubeconfig, repo, ...more));
}
