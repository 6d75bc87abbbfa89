// --exclude-namespace (and -n with a glob) are applied by the Watcher to a list's objects and to the keys its synced
// event names alike: nothing of an excluded namespace reaches the consumer, so nothing there is written or deleted.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { qualifiedResourceName, type KubeClient } from '../../lib/kube/index.ts';
import { startSimulator, type KubeObject, type Simulator } from '../../lib/sim/index.ts';
import { Watcher } from '../../lib/watch/index.ts';
import { connect, StateRecorder } from './recorder.ts';

const tests = suite<{ sim: Simulator; client: KubeClient }>('watcher: namespaces filtered');

tests.before(async (context) => {
  context.sim = await startSimulator();
  const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const configMap = (namespace: string, name: string): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace },
  });
  context.sim.seed([
    namespace('kept'),
    namespace('skipped'),
    configMap('kept', 'a'),
    configMap('kept', 'b'),
    configMap('skipped', 'c'),
  ]);
  context.client = await connect(context.sim);
});

tests.after(async (context) => {
  context.client?.close();
  await context.sim?.stop();
});

tests('an excluded namespace is in neither the listed objects nor the synced keys', async ({ client }) => {
  const recorder = new StateRecorder();
  const watcher = new Watcher({
    client,
    onEvent: recorder.onEvent,
    selection: { include: ['configmaps', 'namespaces'], excludeNamespaces: ['skip*'] },
  });
  try {
    await watcher.start();
    await watcher.ready;
    const keysOf = (resource: string) =>
      recorder.eventsOf('synced', resource).flatMap((event) => (event.type === 'synced' ? event.keys : []));
    const upserted = (resource: string) =>
      recorder.eventsOf('upsert', resource).map((e) => (e.type === 'upsert' ? e.object.metadata.name : ''));
    const configmaps = keysOf('configmaps');
    assert.ok(
      ['kept/a', 'kept/b'].every((key) => configmaps.includes(key)),
      configmaps.join(', '),
    );
    assert.not.ok(
      configmaps.some((key) => key.startsWith('skipped/')),
      configmaps.join(', '),
    );
    assert.ok(upserted('configmaps').includes('a'));
    assert.not.ok(upserted('configmaps').includes('c'));
    const namespaces = keysOf('namespaces');
    assert.ok(namespaces.includes('kept'), namespaces.join(', '));
    assert.not.ok(namespaces.includes('skipped'), 'a Namespace object is filtered by its own name');
    assert.not.ok(upserted('namespaces').includes('skipped'));
    assert.ok(
      recorder
        .eventsOf('synced')
        .every((event) => ['configmaps', 'namespaces'].includes(qualifiedResourceName(event.resource))),
    );
  } finally {
    await watcher.stop();
  }
});

tests.run();
