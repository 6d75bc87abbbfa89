// A real etcd (Debian's etcd-server) on random loopback ports, for the etcd tests.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface TlsFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface EtcdServer {
  clientUrl: string;
  /** --cacert/--cert/--key for etcdctl when the server takes TLS client certificates only. */
  clientFlags: string[];
  peerUrl: string;
  name: string;
  stop(): Promise<void>;
}

/** Starts etcd on `dataDir` (a new one, or one `etcdctl snapshot restore` wrote with the same name and peer URL). */
export async function startEtcd(
  dataDir: string,
  options: { name?: string; peerPort?: number; tls?: { server: TlsFiles; client: TlsFiles } } = {},
): Promise<EtcdServer> {
  const name = options.name ?? 'test';
  const { tls } = options;
  const clientUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${await freePort()}`;
  const clientFlags = tls ? ['--cacert', tls.client.ca, '--cert', tls.client.cert, '--key', tls.client.key] : [];
  const serverFlags = tls
    ? [
        '--cert-file',
        tls.server.cert,
        '--key-file',
        tls.server.key,
        '--trusted-ca-file',
        tls.server.ca,
        '--client-cert-auth',
      ]
    : [];
  const peerUrl = `http://127.0.0.1:${options.peerPort ?? (await freePort())}`;
  const child: ChildProcess = spawn(
    'etcd',
    [
      '--name',
      name,
      '--data-dir',
      dataDir,
      '--listen-client-urls',
      clientUrl,
      '--advertise-client-urls',
      clientUrl,
      '--listen-peer-urls',
      peerUrl,
      '--initial-advertise-peer-urls',
      peerUrl,
      '--initial-cluster',
      `${name}=${peerUrl}`,
      ...serverFlags,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await etcdctl(clientUrl, [...clientFlags, 'endpoint', 'health']);
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`etcd did not become healthy: ${log}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return { clientUrl, clientFlags, peerUrl, name, stop };
}

export async function etcdctl(endpoint: string, args: string[]): Promise<string> {
  const { stdout } = await run('etcdctl', ['--endpoints', endpoint, '--command-timeout=3s', ...args], {
    env: { ...process.env, ETCDCTL_API: '3' },
  });
  return stdout;
}

/** A throw-away CA, a server certificate for 127.0.0.1 and a client certificate, made with the openssl CLI. */
export async function makeTlsFiles(dir: string): Promise<{ server: TlsFiles; client: TlsFiles }> {
  const file = (name: string) => join(dir, name);
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', [
    'req',
    '-x509',
    ...key,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-days',
    '1',
    '-subj',
    '/CN=kubesnap-test-etcd-ca',
  ]);
  for (const [name, usage] of [
    ['server', 'serverAuth'],
    ['client', 'clientAuth'],
  ]) {
    await writeFile(file(`${name}.ext`), `subjectAltName=IP:127.0.0.1\nextendedKeyUsage=${usage}\n`);
    await run('openssl', [
      'req',
      ...key,
      '-keyout',
      file(`${name}.key`),
      '-out',
      file(`${name}.csr`),
      '-subj',
      `/CN=${name}`,
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      file(`${name}.csr`),
      '-CA',
      file('ca.crt'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-out',
      file(`${name}.crt`),
      '-days',
      '1',
      '-extfile',
      file(`${name}.ext`),
    ]);
  }
  return {
    server: { ca: file('ca.crt'), cert: file('server.crt'), key: file('server.key') },
    client: { ca: file('ca.crt'), cert: file('client.crt'), key: file('client.key') },
  };
}
