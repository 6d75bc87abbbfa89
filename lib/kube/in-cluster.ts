import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeconfigError } from '../errors/index.ts';
import type { ClusterConnection } from './kubeconfig.ts';
import { TokenFile } from './token-file.ts';

/** Where the kubelet mounts a pod's service-account token, CA and namespace. */
export const defaultServiceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterOptions {
  env?: NodeJS.ProcessEnv;
  /** The folder holding `token`, `ca.crt` and `namespace`; default $KUBESNAP_SERVICE_ACCOUNT_DIR, else where the kubelet mounts it. */
  serviceAccountDir?: string;
}

/**
 * The pod's own service account, as client-go's InClusterConfig: the API server from
 * KUBERNETES_SERVICE_HOST/PORT, the mounted token and CA. Undefined when not running in a pod.
 */
export function inClusterConnection(options: InClusterOptions = {}): ClusterConnection | undefined {
  const env = options.env ?? process.env;
  const dir = serviceAccountDir(options.serviceAccountDir, env);
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  const tokenFile = join(dir, 'token');
  if (!host || !port || !existsSync(tokenFile)) return undefined;
  const caFile = join(dir, 'ca.crt');
  let ca: string;
  try {
    ca = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new KubeconfigError(
      `running in a pod but the service account's CA ${caFile} cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}.`,
      { cause: error },
    );
  }
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    contextName: 'in-cluster',
    tls: { ca },
    // Bound service-account tokens are rotated by the kubelet.
    headers: new TokenFile(tokenFile, 'the service account token').headers(),
    // As client-go's in-cluster namespace: the downward API's POD_NAMESPACE first, then the mounted file.
    namespace: env.POD_NAMESPACE || inClusterNamespace({ serviceAccountDir: dir }),
  };
}

/** A token mounted elsewhere (a projected volume, a test) is named by $KUBESNAP_SERVICE_ACCOUNT_DIR. */
function serviceAccountDir(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  return explicit ?? (env.KUBESNAP_SERVICE_ACCOUNT_DIR || defaultServiceAccountDir);
}

/** The namespace the pod runs in, from the mounted service account; undefined outside a pod. */
export function inClusterNamespace(options: Pick<InClusterOptions, 'serviceAccountDir'> = {}): string | undefined {
  const file = join(options.serviceAccountDir ?? defaultServiceAccountDir, 'namespace');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() || undefined : undefined;
}
