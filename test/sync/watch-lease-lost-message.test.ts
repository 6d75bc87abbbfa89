// A watch that loses its Lease names it as it is: the kubeconfig context's namespace out of a cluster.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Simulator } from '../../lib/sim/index.ts';
import { eventually, startSeededSimulator } from '../helpers/cluster.ts';
import { temporaryDirectory } from '../helpers/processes.ts';
import { kubectlOk } from '../helpers/kubectl.ts';
import { headOf, startWatch } from './running-watch.ts';

const lost = suite<{ sim: Simulator; tmp: { path: string; remove(): void } }>('watch: the lost Lease named');

lost.before(async (context) => {
  context.sim = await startSeededSimulator();
  context.tmp = temporaryDirectory();
});

lost.after(async (context) => {
  await context.sim?.stop();
  context.tmp?.remove();
});

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
