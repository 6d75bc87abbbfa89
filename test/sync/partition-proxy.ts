// A TCP proxy in front of the simulator that can cut the network the way a dead node or a partition
// does: nothing is refused or reset, bytes simply stop arriving, and new connections are accepted and
// never answered.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';

export interface PartitionProxy {
  /** A kubeconfig like the simulator's, pointing at the proxy. */
  kubeconfigPath: string;
  partition(): void;
  /** Drops the connections the partition held (as a client eventually does) and forwards again. */
  heal(): void;
  close(): Promise<void>;
}

export async function startPartitionProxy(
  sim: { port: number; kubeconfigPath: string },
  kubeconfigPath: string,
): Promise<PartitionProxy> {
  let partitioned = false;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (partitioned) return;
    const upstream = connect(sim.port, '127.0.0.1');
    track(upstream);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        if (!partitioned) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  writeFileSync(
    kubeconfigPath,
    readFileSync(sim.kubeconfigPath, 'utf8').replace(`127.0.0.1:${sim.port}`, `127.0.0.1:${port}`),
  );
  return {
    kubeconfigPath,
    partition: () => {
      partitioned = true;
    },
    heal: () => {
      for (const socket of sockets) socket.destroy();
      partitioned = false;
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
