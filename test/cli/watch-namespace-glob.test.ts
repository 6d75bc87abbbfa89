// `kubesnap watch -n 'pay*'`: a glob watches every namespace's collections and keeps only the matching ones.
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eventually, startSeededSimulator } from '../helpers/cluster.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { git, temporaryDirectory } from '../helpers/processes.ts';
import { headOf, startWatch } from '../sync/running-watch.ts';

const test = suite('watch -n with a glob');

test('only the namespaces the glob matches are committed, before and after the first sync', async () => {
  const sim = await startSeededSimulator();
  const tmp = temporaryDirectory();
  const repo = join(tmp.path, 'repo');
  const running = startWatch(sim, repo, '-n', 'pay*', '--batch', '100ms');
  try {
    await eventually(() => headOf(repo), 20_000, 'the first full sync committed');
    for (const namespace of ['shop', 'payments']) {
      assert.is(
        (await kubectl(sim.kubeconfigPath, ['-n', namespace, 'create', 'configmap', 'late', '--from-literal=k=v']))
          .code,
        0,
      );
    }
    const files = async () => (await git(repo, 'ls-tree', '-r', '--name-only', 'HEAD')).split('\n').filter(Boolean);
    await eventually(
      async () => (await files()).includes('payments/configmaps/late.yaml'),
      20_000,
      'the change in payments committed',
    );
    running.child.kill('SIGTERM');
    assert.is(await running.exited, 0, running.output());
    const namespaces = new Set(
      (await files())
        .filter((path) => path.endsWith('.yaml'))
        .map((path) => (path.startsWith('_cluster/') ? path : path.split('/')[0])),
    );
    assert.equal([...namespaces].sort(), ['_cluster/namespaces/payments.yaml', 'payments']);
  } finally {
    running.child.kill('SIGKILL');
    await sim.stop();
    tmp.remove();
  }
});

test.run();
