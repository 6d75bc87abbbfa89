import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  ImageReferenceError,
  effectiveTag,
  formatImageReference,
  parseImageReference,
  rewriteImageReferences,
} from '../../lib/images/index.ts';

const digest = `sha256:${'ab'.repeat(32)}`;

test('image references parse as Docker parses them', () => {
  const cases: Array<[string, object]> = [
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    ['bitnami/redis:7.2', { registry: 'docker.io', repository: 'bitnami/redis', tag: '7.2' }],
    ['docker.io/nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['index.docker.io/library/nginx:1', { registry: 'docker.io', repository: 'library/nginx', tag: '1' }],
    ['registry.k8s.io/pause:3.10', { registry: 'registry.k8s.io', repository: 'pause', tag: '3.10' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/team/app:v2', { registry: 'localhost:5000', repository: 'team/app', tag: 'v2' }],
    ['127.0.0.1:5000/app@' + digest, { registry: '127.0.0.1:5000', repository: 'app', digest }],
    ['ghcr.io/org/tool:v1.0.0@' + digest, { registry: 'ghcr.io', repository: 'org/tool', tag: 'v1.0.0', digest }],
    ['Registry/app', { registry: 'Registry', repository: 'app' }],
    ['a__b/c-d.e_f:t', { registry: 'docker.io', repository: 'a__b/c-d.e_f', tag: 't' }],
  ];
  for (const [text, expected] of cases) assert.equal(parseImageReference(text), expected, text);
});

test('references Docker refuses are refused with one sentence', () => {
  for (const text of [
    '',
    'Nginx',
    'nginx:',
    'nginx@sha256:abc',
    `nginx@sha256:${'AB'.repeat(32)}`,
    'a//b',
    'nginx:-tag',
    ' nginx',
    'a/-b',
    'host:port:x/app',
  ]) {
    assert.throws(
      () => parseImageReference(text),
      (error: unknown) =>
        error instanceof ImageReferenceError && /^The image reference ".*" is not valid: .+\.$/.test(error.message),
      text,
    );
  }
});

test('the tag defaults to latest unless a digest is written; formatting is fully qualified', () => {
  assert.is(effectiveTag(parseImageReference('nginx')), 'latest');
  assert.is(effectiveTag(parseImageReference(`nginx@${digest}`)), undefined);
  assert.is(effectiveTag(parseImageReference('nginx:1')), '1');
  assert.is(formatImageReference(parseImageReference('nginx')), 'docker.io/library/nginx');
  assert.is(formatImageReference(parseImageReference(`quay.io/a/b:1@${digest}`)), `quay.io/a/b:1@${digest}`);
});

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    template: {
      spec: {
        initContainers: [{ name: 'migrate', image: 'ghcr.io/shop/migrate:1' }],
        containers: [
          { name: 'web', image: 'nginx:1.27' },
          { name: 'sidecar', image: `quay.io/jetstack/agent@${digest}` },
          { name: 'broken', image: 'Not An Image' },
          { name: 'local', image: 'registry.internal:5000/web/api:3' },
        ],
        ephemeralContainers: [{ name: 'debug', image: 'busybox' }],
      },
    },
  },
};

test('rewriteImageReferences moves registries in every container list and keeps tags and digests as written', () => {
  const map = [
    { from: 'docker.io', to: 'mirror.local:5000/hub' },
    { from: 'quay.io/jetstack', to: 'mirror.local:5000/jetstack/' },
    { from: 'quay.io', to: 'never.used' },
  ];
  const rewritten = rewriteImageReferences(deployment, map);
  const spec = rewritten.spec.template.spec;
  assert.is(spec.initContainers[0].image, 'ghcr.io/shop/migrate:1');
  assert.equal(
    spec.containers.map((container) => container.image),
    [
      'mirror.local:5000/hub/library/nginx:1.27',
      `mirror.local:5000/jetstack/agent@${digest}`,
      'Not An Image',
      'registry.internal:5000/web/api:3',
    ],
  );
  assert.is(spec.ephemeralContainers[0].image, 'mirror.local:5000/hub/library/busybox');
  assert.is(deployment.spec.template.spec.containers[0].image, 'nginx:1.27', 'the input is not changed');
});

test('rewriteImageReferences reaches the pod spec of every workload kind and leaves other kinds alone', () => {
  const podSpec = () => ({ containers: [{ name: 'c', image: 'registry.internal:5000/app:1' }] });
  const objects = [
    { kind: 'Pod', spec: podSpec() },
    { kind: 'PodTemplate', template: { spec: podSpec() } },
    { kind: 'StatefulSet', spec: { template: { spec: podSpec() } } },
    { kind: 'DaemonSet', spec: { template: { spec: podSpec() } } },
    { kind: 'ReplicaSet', spec: { template: { spec: podSpec() } } },
    { kind: 'Job', spec: { template: { spec: podSpec() } } },
    { kind: 'CronJob', spec: { jobTemplate: { spec: { template: { spec: podSpec() } } } } },
  ];
  const map = [{ from: 'registry.internal:5000', to: 'backup.internal' }];
  for (const object of objects) {
    assert.match(JSON.stringify(rewriteImageReferences(object, map)), /"image":"backup\.internal\/app:1"/, object.kind);
  }
  const configMap = { kind: 'ConfigMap', data: { image: 'registry.internal:5000/app:1' } };
  assert.equal(rewriteImageReferences(configMap, map), configMap);
  assert.is(
    rewriteImageReferences({ kind: 'Pod', spec: podSpec() }, [{ from: 'registry.internal', to: 'x' }]).spec
      .containers[0].image,
    'registry.internal:5000/app:1',
    'a registry is matched whole, port included',
  );
});

test.run();
