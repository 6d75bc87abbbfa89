// kubesnap etcd snapshot against a real etcd that only takes TLS clients with a certificate, as kubeadm runs it.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli, type CliResult } from '../helpers/cli.ts';
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

/** `kubesnap etcd snapshot` of the test's etcd into `dir`, with these TLS flags and any more. */
function etcdSnapshot(dir: string, tlsFlags: string[], ...more: string[]): Promise<CliResult> {
  return runCli(['etcd', 'snapshot', '--endpoints', etcd!.clientUrl, ...tlsFlags, '--dir', dir, ...more]);
}

const caFlags = () => ['--cacert', client.ca];
const certFlags = () => ['--cert', client.cert, '--key', client.key];

test('snapshot over TLS with --cacert, --cert and --key', async () => {
  const result = await etcdSnapshot(join(root, 'snapshots'), [...caFlags(), ...certFlags()], '-o', 'json');
  assert.is(result.code, 0, result.stderr);
  const taken = JSON.parse(result.stdout);
  assert.is(taken.revision, 2);
  const status = JSON.parse(await etcdctl(etcd!.clientUrl, ['snapshot', 'status', taken.file, '-w', 'json']));
  assert.is(status.revision, 2);
});

test('without a client certificate etcd refuses, in one sentence, and nothing is written', async () => {
  const dir = join(root, 'refused');
  const refusals: Array<{ flags: string[]; code: number; stderr: RegExp }> = [
    {
      flags: caFlags(),
      code: 1,
      stderr:
        /^error: The etcd snapshot from https:\/\/127\.0\.0\.1:\d+ failed: etcd refused the client certificate \(give one it trusts with --cert and --key\)\.\n$/,
    },
    {
      flags: certFlags(),
      code: 1,
      stderr:
        /^error: The etcd snapshot from \S+ failed: etcd's certificate is not signed by a trusted CA \(give its CA with --cacert\): [^\n]+\.\n$/,
    },
    { flags: [...caFlags(), '--cert', client.cert], code: 2, stderr: /--cert and --key go together/ },
  ];
  for (const refusal of refusals) {
    const result = await etcdSnapshot(dir, refusal.flags);
    assert.is(result.code, refusal.code, result.stderr);
    assert.match(result.stderr, refusal.stderr);
  }
  assert.equal(await readdir(dir), []);
});

test.run();
