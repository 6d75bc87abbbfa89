import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { kubectl } from '../helpers/kubectl.ts';
import { simulatorSuite, type SimulatorContext } from '../helpers/simulator-suite.ts';

const fixtureDir = new URL('../fixtures/cluster/', import.meta.url).pathname;
const OLD_PASSWORD = ['s3cr3t-do-not-commit', 'czNjcjN0LWRvLW5vdC1jb21taXQ='];
const NEW_PASSWORD = ['rotated-pa55', Buffer.from('rotated-pa55').toString('base64')];
const TOKEN = ['t0ken-value-42', Buffer.from('t0ken-value-42').toString('base64')];

interface Context extends SimulatorContext {
  kubesnap(...args: string[]): ReturnType<typeof runCli>;
  kubectl(...args: string[]): Promise<void>;
}

const live = simulatorSuite<Context>('diff --live', { seeded: false, prefix: 'kubesnap-live-' });

live.before(async (context) => {
  const kubeconfig = context.sim.kubeconfigPath;
  const repo = join(context.tmp.path, 'repo');
  context.kubesnap = (...args) => runCli(['--kubeconfig', kubeconfig, '--repo', repo, ...args]);
  context.kubectl = async (...args) => {
    const result = await kubectl(kubeconfig, args);
    assert.is(result.code, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
  };
  for (const file of ['00-namespaces.yaml', '05-crd.yaml', '10-shop.yaml', '20-payments.yaml'])
    await context.kubectl('create', '-f', join(fixtureDir, file));
  const snapshot = await context.kubesnap('snapshot');
  assert.is(snapshot.code, 0, snapshot.stderr);
});

live('no drift right after a snapshot', async ({ kubesnap }) => {
  const result = await kubesnap('diff', '--live', '--exit-code');
  assert.is(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /^No differences: HEAD \([0-9a-f]{7}\) → live\.\n$/);
});

live(
  'drift after kubectl edits: changed, created and deleted objects, a custom resource and Secrets without their values',
  async ({ kubesnap, kubectl: k }) => {
    await k('-n', 'shop', 'scale', 'deployment/web', '--replicas=5');
    await k('-n', 'shop', 'set', 'image', 'deployment/web', 'web=registry.example.com/shop/web:v3');
    await k('-n', 'shop', 'delete', 'configmap', 'web-config');
    await k('-n', 'shop', 'patch', 'widgets.example.com', 'blue', '--type=merge', '-p', '{"spec":{"size":7}}');
    await k(
      '-n',
      'shop',
      'patch',
      'secret',
      'web-credentials',
      '--type=merge',
      '-p',
      JSON.stringify({ data: { password: NEW_PASSWORD[1] } }),
    );
    await k('-n', 'shop', 'create', 'secret', 'generic', 'api-token', `--from-literal=token=${TOKEN[0]}`);

    const result = await kubesnap('diff', '--live', '--exit-code');
    assert.is(result.code, 1, result.stderr);
    const out = result.stdout;
    assert.match(out, /^HEAD \([0-9a-f]{7}\) → live: 1 created, 3 changed, 1 deleted\n/);
    assert.match(
      out,
      /changed Deployment\.apps shop\/web[^\n]*\n  spec\.replicas: 2 → 5\n  spec\.template\.spec\.containers\[web\]\.image: registry\.example\.com\/shop\/web:v1 → registry\.example\.com\/shop\/web:v3\n/,
    );
    assert.match(out, /deleted ConfigMap shop\/web-config/);
    assert.match(out, /changed Widget\.example\.com shop\/blue[^\n]*\n  spec\.size: 3 → 7\n/);
    assert.match(
      out,
      /changed Secret shop\/web-credentials[^\n]*\n  data\.password: hmac-sha256:[0-9a-f]{64} → hmac-sha256:[0-9a-f]{64}\n/,
    );
    assert.match(out, /created Secret shop\/api-token/);
    assert.match(out, /\+  token: hmac-sha256:[0-9a-f]{64}\n/);

    const json = await kubesnap('diff', '--live', '--format', 'json');
    for (const rendered of [result, json]) {
      for (const value of [...OLD_PASSWORD, ...NEW_PASSWORD, ...TOKEN])
        assert.not.ok(rendered.stdout.includes(value), 'a Secret value is printed');
    }
    const document = JSON.parse(json.stdout);
    assert.equal(document.to, { revision: 'live', commit: null });
    assert.equal(
      document.objects.map((o: any) => [o.path, o.change]),
      [
        ['shop/configmaps/web-config.yaml', 'deleted'],
        ['shop/deployments.apps/web.yaml', 'changed'],
        ['shop/secrets/api-token.yaml', 'created'],
        ['shop/secrets/web-credentials.yaml', 'changed'],
        ['shop/widgets.example.com/blue.yaml', 'changed'],
      ],
    );
    assert.equal(document.objects[1].operations, [
      { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'registry.example.com/shop/web:v3' },
      { op: 'replace', path: '/spec/replicas', value: 5 },
    ]);
    const payments = await kubesnap('diff', '--live', '-n', 'payments', '--exit-code');
    assert.is(payments.code, 0, payments.stdout + payments.stderr);
    const filtered = await kubesnap(
      'diff',
      '--live',
      '--include',
      'secrets',
      '--path',
      '*/*/web-*',
      '--format',
      'json',
    );
    assert.equal(
      JSON.parse(filtered.stdout).objects.map((o: any) => o.name),
      ['web-credentials'],
    );
  },
);

live('after the next snapshot the drift is gone, and log shows both versions', async ({ kubesnap }) => {
  const snapshot = await kubesnap('snapshot');
  assert.is(snapshot.code, 0, snapshot.stderr);
  const result = await kubesnap('diff', '--live', '--exit-code');
  assert.is(result.code, 0, result.stdout + result.stderr);
  const previous = await kubesnap('diff', '--live', 'HEAD~1', '--exit-code', '--include', 'deploy');
  assert.is(previous.code, 1, previous.stderr);
  const log = await kubesnap('log', 'deploy/web', '-n', 'shop');
  assert.match(
    log.stdout,
    /^[0-9a-f]{7} \S+ changed \(spec\.replicas, spec\.template\.spec\.containers\[web\]\.image\) by kubesnap\n[0-9a-f]{7} \S+ created by kubesnap\n$/,
  );
});

live('an unreachable cluster is one sentence and exit 2', async ({ sim, tmp }) => {
  const closed = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const kubeconfig = join(tmp.path, 'unreachable-kubeconfig');
  writeFileSync(
    kubeconfig,
    readFileSync(sim.kubeconfigPath, 'utf8').replace(/127\.0\.0\.1:\d+/g, `127.0.0.1:${closed}`),
  );
  const result = await runCli([
    '--kubeconfig',
    kubeconfig,
    '--repo',
    join(tmp.path, 'repo'),
    'diff',
    '--live',
    '--exit-code',
  ]);
  assert.is(result.code, 2, result.stderr);
  assert.is(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /^error: /);
});

live.run();
