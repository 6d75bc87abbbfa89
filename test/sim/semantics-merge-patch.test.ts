import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergePatch, strategicMergePatch } from '../../lib/sim/merge-patch.ts';
import { def } from './semantics-fixtures.ts';

test('mergePatch: the examples of RFC 7386 appendix A', () => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [
      ['a', 'b'],
      ['c', 'd'],
      ['c', 'd'],
    ],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, result] of cases) assert.equal(mergePatch(target, patch), result, JSON.stringify(patch));
});

test('mergePatch does not modify its inputs', () => {
  const target = { a: { b: 1 } };
  const patch = { a: { c: 2 } };
  const result = mergePatch(target, patch) as any;
  result.a.b = 5;
  assert.equal(target, { a: { b: 1 } }, 'the result shares nothing with the target');
});

const deployments = def('apps', 'deployments');
const services = def('', 'services');
const live = {
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
  spec: {
    template: {
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1',
            env: [{ name: 'A', value: '1' }],
            ports: [{ containerPort: 80, protocol: 'TCP' }],
          },
          { name: 'sidecar', image: 'proxy:1' },
        ],
        tolerations: [{ key: 'x', operator: 'Exists' }],
      },
    },
  },
};

test('strategicMergePatch merges containers by name and env by name, replaces atomic lists', () => {
  const patched = strategicMergePatch(deployments, live, {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'nginx', image: 'nginx:2', env: [{ name: 'B', value: '2' }] },
            { name: 'new', image: 'n:1' },
          ],
          tolerations: [{ key: 'y', operator: 'Exists' }],
        },
      },
    },
  }) as any;
  assert.equal(patched.spec.template.spec.containers, [
    {
      name: 'nginx',
      image: 'nginx:2',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      ports: [{ containerPort: 80, protocol: 'TCP' }],
    },
    { name: 'sidecar', image: 'proxy:1' },
    { name: 'new', image: 'n:1' },
  ]);
  assert.equal(patched.spec.template.spec.tolerations, [{ key: 'y', operator: 'Exists' }]);
  assert.equal(live.spec.template.spec.containers[0].image, 'nginx:1', 'the target is not modified');
});

test('strategicMergePatch directives: $patch delete/replace, $retainKeys, $deleteFromPrimitiveList, null', () => {
  const deleted = strategicMergePatch(deployments, live, {
    spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
  }) as any;
  assert.equal(
    deleted.spec.template.spec.containers.map((c: any) => c.name),
    ['nginx'],
  );

  const replaced = strategicMergePatch(deployments, live, {
    spec: { template: { spec: { containers: [{ name: 'only', image: 'o:1' }, { $patch: 'replace' }] } } },
  }) as any;
  assert.equal(replaced.spec.template.spec.containers, [{ name: 'only', image: 'o:1' }]);

  const replacedMap = strategicMergePatch(deployments, live, {
    metadata: { labels: { $patch: 'replace', tier: 'x' } },
  }) as any;
  assert.equal(replacedMap.metadata.labels, { tier: 'x' });

  const retained = strategicMergePatch(
    deployments,
    { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
  ) as any;
  assert.equal(retained.spec.strategy, { type: 'Recreate' });

  const finalizers = strategicMergePatch(deployments, live, {
    metadata: { finalizers: ['b'], '$setElementOrder/finalizers': ['a', 'b'] },
  }) as any;
  assert.equal(finalizers.metadata.finalizers, ['a', 'b']);
  const removed = strategicMergePatch(deployments, live, {
    metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] },
  }) as any;
  assert.equal(removed.metadata.finalizers, []);

  const unlabelled = strategicMergePatch(deployments, live, { metadata: { labels: { app: null } } }) as any;
  assert.equal(unlabelled.metadata.labels, {});
});

test('strategicMergePatch merges Service ports by port and protocol', () => {
  const svc = { spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30001 }] } };
  const patched = strategicMergePatch(services, svc, {
    spec: {
      ports: [
        { port: 80, targetPort: 9090 },
        { port: 443, targetPort: 8443 },
      ],
    },
  }) as any;
  assert.equal(patched.spec.ports, [
    { port: 80, protocol: 'TCP', targetPort: 9090, nodePort: 30001 },
    { port: 443, targetPort: 8443 },
  ]);
});

test.run();
