// A watch that loses its Lease names it as it is: the kubeconfig context's namespace out of a cluster.
import * as assert from 'uvu/assert';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from '../helpers/cluster.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { headOf, startWatch } from './running-watch.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const lost = simulatorSuite('watch: the lost Lease named');

lost(
  "a Lease taken over by another holder: exit 1 naming it as namespace/name, the namespace the kubeconfig context's",
  async ({ sim, tmp }) => {
    const kubeconfig = join(tmp.path, 'kubeconfig');
    copyFileSync(sim.kubeconfigPath, kubeconfig);
    await kubectlOk(kubeconfig, ['config', 'set-context', '--current', '--namespace', 'shop']);
    const repo = join(tmp.path, 'repo');
    const running = startWatch(
      { kubeconfigPath: kubeconfig },
      repo,
      '--leader-elect',
      '--lease-duration',
      '3s',
      '--batch',
      '100ms',
    );
    try {
      await eventually(() => headOf(repo), 20_000, `the first full sync committed (output: ${running.output()})`);
      const renewTime = new Date().toISOString().replace(/Z$/, '000Z');
      await kubectlOk(kubeconfig, [
        '-n',
        'shop',
        'patch',
        'lease',
        'kubesnap',
        '--type',
        'merge',
        '-p',
        JSON.stringify({ spec: { holderIdentity: 'another-replica', renewTime } }),
      ]);
      assert.is(await running.exited, 1, running.output());
      assert.match(running.output(), /lost the lease shop\/kubesnap to another replica/);
    } finally {
      running.child.kill('SIGKILL');
    }
  },
);

lost.run();
