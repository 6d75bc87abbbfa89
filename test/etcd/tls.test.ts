// kubesnap etcd snapshot against a real etcd that only takes TLS clients with a certificate, as kubeadm runs it.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers/cli.ts';
import { etcdctl, makeTlsFiles, startEtcd, type EtcdServer, type TlsFiles } from './etcd-server.ts';

let root = '';
let etcd: EtcdServer | undefined;
let client: TlsFiles;

test.before(async () => {
  root = await mkdtemp(join(tmpdir(), 'kubesnap-etcd-tls-'));
  await mkdir(join(root, 'pki'));
  const tls = await makeTlsFiles(join(root, 'pki'));
  client = tls.client;
  etcd = await startEtcd(join(root, 'data'), { tls });
  await etcdctl(etcd.clientUrl, [...etcd.clientFlags, 'put', 'secret-ish', 'value']);
});

test.after(async () => {
  await etcd?.stop();
  await rm(root, { recursive: true, force: true });
});

test('snapshot over TLS with --cacert, --cert and --key', async () => {
  const dir = join(root, 'snapshots');
  const result = await runCli([
    'etcd',
    'snapshot',
    '--endpoints',
    etcd!.clientUrl,
    '--cacert',
    client.ca,
    '--cert',
    client.cert,
    '--key',
    client.key,
    '--dir',
    dir,
    '-o',
    'json',
  ]);
  assert.is(result.code, 0, result.stderr);
  const taken = JSON.parse(result.stdout);
  assert.is(taken.revision, 2);
  const status = JSON.parse(await etcdctl(etcd!.clientUrl, ['snapshot', 'status', taken.file, '-w', 'json']));
  assert.is(status.revision, 2);
});

test('without a client certificate etcd refuses, in one sentence, and nothing is written', async () => {
  const dir = join(root, 'refused');
  const result = await runCli([
    'etcd',
    'snapshot',
    '--endpoints',
    etcd!.clientUrl,
    '--cacert',
    client.ca,
    '--dir',
    dir,
  ]);
  assert.is(result.code, 1);
  assert.match(
    result.stderr,
    /^error: The etcd snapshot from https:\/\/127\.0\.0\.1:\d+ failed: etcd refused the client certificate \(give one it trusts with --cert and --key\)\.\n$/,
  );
  assert.equal(await readdir(dir), []);
  const untrusted = await runCli([
    'etcd',
    'snapshot',
    '--endpoints',
    etcd!.clientUrl,
    '--cert',
    client.cert,
    '--key',
    client.key,
    '--dir',
    dir,
  ]);
  assert.is(untrusted.code, 1);
  assert.match(
    untrusted.stderr,
    /^error: The etcd snapshot from \S+ failed: etcd's certificate is not signed by a trusted CA \(give its CA with --cacert\): [^\n]+\.\n$/,
  );
  const usage = await runCli([
    'etcd',
    'snapshot',
    '--endpoints',
    etcd!.clientUrl,
    '--cacert',
    client.ca,
    '--cert',
    client.cert,
    '--dir',
    dir,
  ]);
  assert.is(usage.code, 2);
  assert.match(usage.stderr, /--cert and --key go together/);
});

test.run();
