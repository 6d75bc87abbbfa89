import { existsSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeconfigError } from '../errors/index.ts';
import { inClusterConnection } from './in-cluster.ts';

/** What kubesnap needs to talk to one cluster: where it is and how to authenticate. */
export interface ClusterConnection {
  /** API server URL without credentials, e.g. https://127.0.0.1:6443 */
  server: string;
  contextName: string;
  /** TLS material and headers (Authorization) for every request. */
  tls: Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'rejectUnauthorized' | 'servername'>;
  headers: Record<string, string>;
}

export interface KubeconfigOptions {
  kubeconfig?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
  /** Where a pod's service account is mounted (default /var/run/secrets/kubernetes.io/serviceaccount). */
  serviceAccountDir?: string;
}

/**
 * Resolves the kubeconfig the way kubectl does: --kubeconfig, else $KUBECONFIG (first existing file),
 * else ~/.kube/config, else (none of those, in a pod) the pod's service account. Every failure is a
 * KubeconfigError with one sentence.
 */
export async function loadClusterConnection(options: KubeconfigOptions = {}): Promise<ClusterConnection> {
  const env = options.env ?? process.env;
  const inCluster = !options.kubeconfig && !env.KUBECONFIG && !existsSync(defaultKubeconfigFile(env))
    ? inClusterConnection({ env, serviceAccountDir: options.serviceAccountDir })
    : undefined;
  if (inCluster) {
    if (options.context) throw new KubeconfigError(`context "${options.context}" cannot be used: there is no kubeconfig, only the pod's service account.`);
    return inCluster;
  }
  const file = kubeconfigFile(options.kubeconfig, env);
  // Loaded on first use: the library takes about a second to import, which commands that never talk
  // to a cluster (help, diff between revisions, log, show) should not pay.
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  try {
    config.loadFromString(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new KubeconfigError(`kubeconfig ${file} could not be read: ${firstLine(error)}.`, { cause: error });
  }
  config.makePathsAbsolute(join(file, '..'));
  if (options.context) {
    if (!config.getContextObject(options.context)) {
      throw new KubeconfigError(`context "${options.context}" is not in kubeconfig ${file} (it has: ${config.getContexts().map((c) => c.name).join(', ') || 'none'}).`);
    }
    config.setCurrentContext(options.context);
  }
  const contextName = config.getCurrentContext();
  const cluster = config.getCurrentCluster();
  if (!contextName || !cluster) {
    throw new KubeconfigError(`kubeconfig ${file} has no current context; pass --context.`);
  }
  if (!cluster.server) throw new KubeconfigError(`cluster "${cluster.name}" in kubeconfig ${file} has no server URL.`);
  const requestOptions: https.RequestOptions = { headers: {} };
  try {
    await config.applyToHTTPSOptions(requestOptions);
  } catch (error) {
    throw new KubeconfigError(`credentials for context "${contextName}" in kubeconfig ${file} could not be loaded: ${firstLine(error)}.`, { cause: error });
  }
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(requestOptions.headers ?? {})) {
    if (typeof value === 'string') headers[key] = value;
  }
  if (requestOptions.auth) headers.Authorization = 'Basic ' + Buffer.from(requestOptions.auth).toString('base64');
  return {
    server: cluster.server.replace(/\/+$/, ''),
    contextName,
    tls: {
      ca: requestOptions.ca,
      cert: requestOptions.cert,
      key: requestOptions.key,
      rejectUnauthorized: cluster.skipTLSVerify ? false : requestOptions.rejectUnauthorized,
      servername: cluster.tlsServerName,
    },
    headers,
  };
}

function kubeconfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  if (explicit) {
    if (!existsSync(explicit)) throw new KubeconfigError(`kubeconfig ${explicit} does not exist.`);
    return explicit;
  }
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  const candidates = fromEnv.length ? fromEnv : [defaultKubeconfigFile(env)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new KubeconfigError(`no kubeconfig found (looked at ${candidates.join(', ')}); pass --kubeconfig.`);
  return found;
}

function defaultKubeconfigFile(env: NodeJS.ProcessEnv): string {
  return join(env.HOME ?? homedir(), '.kube', 'config');
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].replace(/\.$/, '');
}
