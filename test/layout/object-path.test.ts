import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UnsafeNameError } from '../../lib/errors/index.ts';
import { objectPath, parseObjectPath, type ObjectIdentity } from '../../lib/layout/index.ts';

test('paths as DESIGN.md lays them out', () => {
  assert.is(
    objectPath({ group: '', resource: 'configmaps', namespace: 'shop', name: 'web-config' }),
    'shop/configmaps/web-config.yaml',
  );
  assert.is(
    objectPath({ group: 'apps', resource: 'deployments', namespace: 'shop', name: 'web' }),
    'shop/deployments.apps/web.yaml',
  );
  assert.is(
    objectPath({ group: 'cert-manager.io', resource: 'certificates', namespace: 'shop', name: 'tls' }),
    'shop/certificates.cert-manager.io/tls.yaml',
  );
  assert.is(objectPath({ group: '', resource: 'namespaces', name: 'shop' }), '_cluster/namespaces/shop.yaml');
  assert.is(
    objectPath({
      group: 'rbac.authorization.k8s.io',
      resource: 'clusterroles',
      name: 'system:controller:bootstrap-signer',
    }),
    '_cluster/clusterroles.rbac.authorization.k8s.io/system:controller:bootstrap-signer.yaml',
  );
  assert.is(
    objectPath({ group: 'apps', resource: 'deployments', namespace: 'shop', name: 'web' }, 'clusters/prod'),
    'clusters/prod/shop/deployments.apps/web.yaml',
  );
  assert.is(
    objectPath({ group: 'apps', resource: 'deployments', namespace: 'shop', name: 'web' }, '/clusters/prod/'),
    'clusters/prod/shop/deployments.apps/web.yaml',
  );
});

const identities: ObjectIdentity[] = [
  { group: '', resource: 'configmaps', namespace: 'shop', name: 'web-config' },
  { group: 'apps', resource: 'deployments', namespace: 'payments', name: 'api' },
  { group: '', resource: 'namespaces', name: 'payments' },
  { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions', name: 'widgets.example.com' },
  {
    group: 'rbac.authorization.k8s.io',
    resource: 'roles',
    namespace: 'kube-system',
    name: 'system::leader-locking-kube-scheduler',
  },
];

const hostileNames = [
  '../../etc/passwd',
  '..',
  '.',
  '.git',
  'a/b',
  'a\\b',
  'a\0b',
  '%2e',
  '%',
  '_cluster',
  'README.md',
  'ünïcödé-名前',
  'emoji-🚀',
  ' space ',
  'x'.repeat(253),
  'é'.repeat(300),
  'a.',
];

test('round trips, with and without a prefix', () => {
  const all = [
    ...identities,
    ...hostileNames.map((name) => ({ group: 'apps', resource: 'deployments', namespace: 'shop', name })),
  ];
  for (const identity of all) {
    for (const prefix of [undefined, 'clusters/prod']) {
      const path = objectPath(identity, prefix);
      assert.equal(parseObjectPath(path, prefix), identity, path);
    }
  }
});

test('hostile names never leave their folder', () => {
  for (const name of hostileNames) {
    for (const namespace of [undefined, 'shop', name]) {
      if (namespace !== undefined && Buffer.byteLength(namespace) > 63) continue;
      const path = objectPath({ group: 'apps', resource: 'deployments', namespace, name });
      const segments = path.split('/');
      assert.ok(
        segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..' && !segment.startsWith('.')),
        path,
      );
      assert.not.ok(/[\0\\]/.test(path), path);
      assert.ok(
        segments.every((segment) => Buffer.byteLength(segment) <= 210),
        `segment too long in ${path.slice(0, 60)}`,
      );
      assert.ok(segments.length >= 3, path);
      assert.is(segments[0] === '_cluster', namespace === undefined, path);
    }
  }
  assert.is(
    objectPath({ group: 'apps', resource: 'deployments', namespace: 'shop', name: '../../etc/passwd' }),
    'shop/deployments.apps/%2E.%2F..%2Fetc%2Fpasswd.yaml',
  );
  assert.is(
    objectPath({ group: '', resource: 'configmaps', namespace: '_cluster', name: 'x' }),
    '%5Fcluster/configmaps/x.yaml',
  );
});

test('a long name is split into folders and read back whole', () => {
  const name = 'n'.repeat(253);
  const path = objectPath({ group: '', resource: 'configmaps', namespace: 'shop', name });
  assert.is(path.split('/').length, 4);
  assert.is(parseObjectPath(path)?.name, name);
});

test('README.md and foreign files are not objects', () => {
  for (const path of [
    'README.md',
    'shop/README.md',
    'shop/configmaps/x.json',
    'shop/configmaps/.yaml',
    'shop/configmaps/a%2fb.yaml',
    'shop/configmaps/%61.yaml',
    'shop/configmaps/a%ZZ.yaml',
    'shop/configmaps/a%/b.txt',
    'shop/configmaps/a/b.yaml',
    '.git/config',
    'shop/con.figs.x/%.yaml',
    'clusters/prod/shop/configmaps/x.yaml',
  ]) {
    assert.is(parseObjectPath(path), undefined, path);
  }
  assert.is(parseObjectPath('shop/configmaps/x.yaml', 'clusters/prod'), undefined);
  assert.equal(parseObjectPath('clusters/prod/shop/configmaps/x.yaml', 'clusters/prod'), {
    group: '',
    resource: 'configmaps',
    namespace: 'shop',
    name: 'x',
  });
});

test('unlayable identities and prefixes are refused with UnsafeNameError', () => {
  assert.throws(
    () => objectPath({ group: '', resource: 'configmaps', namespace: 'shop', name: '' }),
    (error: unknown) => error instanceof UnsafeNameError,
  );
  assert.throws(
    () => objectPath({ group: '', resource: 'config.maps', namespace: 'shop', name: 'x' }),
    (error: unknown) => error instanceof UnsafeNameError,
  );
  assert.throws(
    () => objectPath({ group: '', resource: 'configmaps', namespace: 'n'.repeat(300), name: 'x' }),
    (error: unknown) => error instanceof UnsafeNameError,
  );
  assert.throws(
    () => objectPath({ group: '', resource: 'configmaps', name: 'x' }, '../elsewhere'),
    (error: unknown) => error instanceof UnsafeNameError,
  );
});

test.run();
