// What kubesnap sees when it runs in a pod of the simulator's cluster: no kubeconfig, the API server as
// KUBERNETES_SERVICE_HOST/PORT, and the ServiceAccount's token, ca.crt and namespace in a mounted folder
// (found through KUBESNAP_SERVICE_ACCOUNT_DIR), with a HOME of its own.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../../lib/sim/index.ts';

/** Mounts the service account under `dir` and answers the pod's environment (add POD_NAME, POD_NAMESPACE as needed). */
export function podEnvironment(
  sim: Simulator,
  dir: string,
  serviceAccount: { token: string; namespace: string },
): NodeJS.ProcessEnv {
  const mounted = join(dir, 'serviceaccount');
  const home = join(dir, 'home');
  mkdirSync(mounted, { recursive: true });
  mkdirSync(home, { recursive: true });
  writeFileSync(join(mounted, 'token'), serviceAccount.token);
  writeFileSync(join(mounted, 'ca.crt'), sim.caPem);
  writeFileSync(join(mounted, 'namespace'), `${serviceAccount.namespace}\n`);
  return {
    HOME: home,
    KUBECONFIG: '',
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: String(sim.port),
    KUBESNAP_SERVICE_ACCOUNT_DIR: mounted,
  };
}
