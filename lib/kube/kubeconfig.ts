import { existsSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { load } from 'js-yaml';
import { KubeconfigError } from '../errors/index.ts';
import { inClusterConnection } from './in-cluster.ts';
import { basicAuthorization, TokenFile } from './token-file.ts';

/** What kubesnap needs to talk to one cluster: where it is and how to authenticate. */
export interface ClusterConnection {
  /** API server URL without credentials, e.g. https://127.0.0.1:6443 */
  server: string;
  contextName: string;
  /** The kubeconfig's name of the context's user (`users[].name`); undefined in a pod or for a context without one. */
  userName?: string;
  /**
   * The namespace kubectl would use without `-n`: the context's, or in a pod POD_NAMESPACE, else the service
   * account's; undefined when there is none (kubectl then uses `default`).
   */
  namespace?: string;
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
  const inCluster =
    !options.kubeconfig && !env.KUBECONFIG && !existsSync(defaultKubeconfigFile(env))
      ? inClusterConnection({ env, serviceAccountDir: options.serviceAccountDir })
      : undefined;
  if (inCluster) {
    if (options.context)
      throw new KubeconfigError(
        `context "${options.context}" cannot be used: there is no kubeconfig, only the pod's service account.`,
      );
    return inCluster;
  }
  const file = kubeconfigFile(options.kubeconfig, env);
  const config = readKubeconfig(file);
  const contextName = options.context ?? config['current-context'];
  const context = config.contexts?.find((entry) => entry?.name === contextName);
  if (options.context && !context) {
    throw new KubeconfigError(
      `context "${options.context}" is not in kubeconfig ${file} (it has: ${config.contexts?.map((c) => c?.name).join(', ') || 'none'}).`,
    );
  }
  if (!contextName) throw new KubeconfigError(`kubeconfig ${file} has no current context; pass --context.`);
  if (!context)
    throw new KubeconfigError(`the current context "${contextName}" is not in kubeconfig ${file}; pass --context.`);
  // As client-go's validation words them: a context naming a cluster or user the file does not have.
  const clusterName = context.context?.cluster;
  const cluster = config.clusters?.find((entry) => entry?.name === clusterName);
  if (!cluster)
    throw new KubeconfigError(
      `cluster "${clusterName ?? ''}" was not found for context "${contextName}" in kubeconfig ${file}.`,
    );
  if (!cluster.cluster?.server)
    throw new KubeconfigError(`cluster "${cluster.name}" in kubeconfig ${file} has no server URL.`);
  const userName = context.context?.user;
  const userEntry = userName === undefined ? undefined : config.users?.find((entry) => entry?.name === userName);
  if (userName !== undefined && !userEntry)
    throw new KubeconfigError(`user "${userName}" was not found for context "${contextName}" in kubeconfig ${file}.`);
  const user = userEntry?.user ?? {};
  try {
    const connection =
      user.exec || user['auth-provider']
        ? await pluginConnection(file, contextName)
        : staticConnection(cluster.cluster, user, contextName, dirname(file));
    return { ...connection, namespace: context.context?.namespace || undefined, userName: userName || undefined };
  } catch (error) {
    throw new KubeconfigError(
      `credentials for context "${contextName}" in kubeconfig ${file} could not be loaded: ${firstLine(error)}.`,
      { cause: error },
    );
  }
}

/** The parts of a kubeconfig kubesnap reads, spelt as in the file. */
interface KubeconfigDocument {
  'current-context'?: string;
  clusters?: Array<{ name?: string; cluster?: KubeconfigCluster }>;
  users?: Array<{ name?: string; user?: KubeconfigUser }>;
  contexts?: Array<{ name?: string; context?: { cluster?: string; user?: string; namespace?: string } }>;
}

interface KubeconfigCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  username?: string;
  password?: string;
  exec?: unknown;
  'auth-provider'?: unknown;
}

function readKubeconfig(file: string): KubeconfigDocument {
  try {
    const document = load(readFileSync(file, 'utf8'));
    if (document === null || typeof document !== 'object' || Array.isArray(document))
      throw new Error('it is not a YAML mapping');
    for (const list of ['clusters', 'users', 'contexts'] as const) {
      const entries = (document as KubeconfigDocument)[list];
      if (entries !== undefined && entries !== null && !Array.isArray(entries))
        throw new Error(`"${list}" is not a list`);
    }
    return document as KubeconfigDocument;
  } catch (error) {
    throw new KubeconfigError(`kubeconfig ${file} could not be read: ${firstLine(error)}.`, { cause: error });
  }
}

/** Bytes given inline (base64, `-data`) or as a file relative to the kubeconfig's folder. */
function material(data: string | undefined, path: string | undefined, dir: string): Buffer | undefined {
  if (data) return Buffer.from(data, 'base64');
  return path ? readFileSync(resolve(dir, path)) : undefined;
}

/** Credentials written in the kubeconfig itself (a token, a client certificate, a password), as kubectl reads them. */
function staticConnection(
  cluster: KubeconfigCluster,
  user: KubeconfigUser,
  contextName: string,
  dir: string,
): ClusterConnection {
  // A tokenFile is read again when it changes, as kubectl does: a long watch outlives a rotated token.
  const headers: Record<string, string> = user.token
    ? { Authorization: `Bearer ${user.token}` }
    : user.tokenFile
      ? new TokenFile(resolve(dir, user.tokenFile), 'the token file').headers()
      : user.username
        ? { Authorization: basicAuthorization(user.username, user.password ?? '') }
        : {};
  return {
    server: cluster.server!.replace(/\/+$/, ''),
    contextName,
    tls: {
      ca: material(cluster['certificate-authority-data'], cluster['certificate-authority'], dir),
      cert: material(user['client-certificate-data'], user['client-certificate'], dir),
      key: material(user['client-key-data'], user['client-key'], dir),
      rejectUnauthorized: cluster['insecure-skip-tls-verify'] ? false : undefined,
      servername: cluster['tls-server-name'],
    },
    headers,
  };
}

/**
 * Credentials a plugin makes (an `exec` command such as `aws eks get-token`, an `auth-provider`): left to
 * @kubernetes/client-node, which runs them as kubectl does. Loaded only then: importing it costs about a second,
 * most of a small snapshot's time.
 */
async function pluginConnection(file: string, contextName: string): Promise<ClusterConnection> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  config.loadFromString(readFileSync(file, 'utf8'));
  config.makePathsAbsolute(dirname(file));
  config.setCurrentContext(contextName);
  const cluster = config.getCurrentCluster()!;
  const requestOptions: https.RequestOptions = { headers: {} };
  await config.applyToHTTPSOptions(requestOptions);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(requestOptions.headers ?? {})) {
    if (typeof value === 'string') headers[key] = value;
  }
  if (requestOptions.auth) {
    const colon = requestOptions.auth.indexOf(':');
    headers.Authorization =
      colon < 0
        ? basicAuthorization(requestOptions.auth, '')
        : basicAuthorization(requestOptions.auth.slice(0, colon), requestOptions.auth.slice(colon + 1));
  }
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
