import type { ClusterIdentity } from '../lib/history/index.ts';
import type { KubeClient } from '../lib/kube/index.ts';
import type { GlobalOptions } from './main.ts';

/** The API client for the kubeconfig and context the user chose, and how the cluster is named in commits. */
export async function connectToCluster(
  globals: Pick<GlobalOptions, 'kubeconfig' | 'context'>,
): Promise<{ client: KubeClient; cluster: ClusterIdentity }> {
  const { KubeClient, loadClusterConnection } = await import('../lib/kube/index.ts');
  const connection = await loadClusterConnection({ kubeconfig: globals.kubeconfig, context: globals.context });
  const server = new URL(connection.server);
  server.username = '';
  server.password = '';
  return {
    client: new KubeClient(connection),
    cluster: { server: server.toString().replace(/\/$/, ''), context: connection.contextName },
  };
}
