import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors/index.ts';
import type { Registry } from 'prom-client';

export interface StatusServer {
  /** host:port it listens on. */
  address: string;
  close(): Promise<void>;
}

/** `--listen :9090` or `127.0.0.1:9090` → host and port; `:9090` listens on every interface, as Go programs do. */
export function parseListenAddress(text: string): { host?: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(text);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new UsageError(`--listen "${text}" is not of the form [host]:port.`);
  return { host: match[1] || undefined, port };
}

/** /healthz (alive), /readyz (503 until `ready()` says so, with its reason), /metrics (Prometheus text). */
export async function startStatusServer(options: {
  listen: string;
  registry: Registry;
  readiness: () => { ready: boolean; detail: string };
}): Promise<StatusServer> {
  const { host, port } = parseListenAddress(options.listen);
  const server = http.createServer(async (request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/healthz') return send(response, 200, 'text/plain', 'ok\n');
    if (path === '/readyz') {
      const { ready, detail } = options.readiness();
      return send(response, ready ? 200 : 503, 'text/plain', `${detail}\n`);
    }
    if (path === '/metrics') return send(response, 200, options.registry.contentType, await options.registry.metrics());
    send(response, 404, 'text/plain', 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new UsageError(
          `cannot listen on ${options.listen}: ${(error as NodeJS.ErrnoException).code ?? error.message}.`,
        ),
      ),
    );
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  return {
    address: `${address.address}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: http.ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
