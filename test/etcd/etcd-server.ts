// A real etcd (Debian's etcd-server) on random loopback ports, for the etcd tests.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
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

export interface EtcdServer {
  clientUrl: string;
  peerUrl: string;
  name: string;
  stop(): Promise<void>;
}

/** Starts etcd on `dataDir` (a new one, or one `etcdctl snapshot restore` wrote with the same name and peer URL). */
export async function startEtcd(dataDir: string, options: { name?: string; peerPort?: number } = {}): Promise<EtcdServer> {
  const name = options.name ?? 'test';
  const clientUrl = `http://127.0.0.1:${await freePort()}`;
  const peerUrl = `http://127.0.0.1:${options.peerPort ?? (await freePort())}`;
  const child: ChildProcess = spawn('etcd', [
    '--name', name, '--data-dir', dataDir,
    '--listen-client-urls', clientUrl, '--advertise-client-urls', clientUrl,
    '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `${name}=${peerUrl}`,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
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
      await etcdctl(clientUrl, ['endpoint', 'health']);
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`etcd did not become healthy: ${log}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return { clientUrl, peerUrl, name, stop };
}

export async function etcdctl(endpoint: string, args: string[]): Promise<string> {
  const { stdout } = await run('etcdctl', ['--endpoints', endpoint, '--command-timeout=3s', ...args], { env: { ...process.env, ETCDCTL_API: '3' } });
  return stdout;
}
