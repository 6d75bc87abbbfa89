// A kubeconfig pointing at the wrong kind of server (TLS against plain HTTP and back, a web server that is not an
// API server) gets one sentence saying so, not OpenSSL's text or a bare "GET /api: not found".
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { simulatorSuite } from '../helpers/simulator-suite.ts';

const messages = simulatorSuite<{
  plain: Server;
  plainPort: number;
  goTls: Server;
  goTlsPort: number;
}>('wrong server', { seeded: false });

async function listen(handler: Parameters<typeof createServer>[1]): Promise<[Server, number]> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return [server, (server.address() as { port: number }).port];
}

messages.before(async (context) => {
  // A web server that is not an API server, as Go's 404 handler answers.
  [context.plain, context.plainPort] = await listen((_request, response) =>
    response.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n'),
  );
  // What a Go TLS server (a real API server) answers to plain HTTP.
  [context.goTls, context.goTlsPort] = await listen((_request, response) =>
    response.writeHead(400).end('Client sent an HTTP request to an HTTPS server.\n'),
  );
});

messages.after(async (context) => {
  context.plain?.close();
  context.goTls?.close();
});

function kubeconfigFor(dir: string, name: string, server: string): string {
  const path = join(dir, `${name}.kubeconfig`);
  writeFileSync(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: c',
      'clusters:',
      '- name: c',
      `  cluster: {server: "${server}", insecure-skip-tls-verify: ${server.startsWith('https')}}`,
      'contexts:',
      '- name: c',
      '  context: {cluster: c, user: u}',
      'users:',
      '- name: u',
      '  user: {token: t}',
      '',
    ].join('\n'),
  );
  return path;
}

async function snapshotError(tmp: string, name: string, server: string): Promise<string> {
  const result = await runCli([
    '--kubeconfig',
    kubeconfigFor(tmp, name, server),
    '--repo',
    join(tmp, `repo-${name}`),
    'snapshot',
  ]);
  assert.is(result.code, 1, result.stdout);
  assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
  return result.stderr.trim();
}

messages('https:// to a plain-HTTP server: one sentence, no OpenSSL text', async ({ tmp, plainPort }) => {
  const message = await snapshotError(tmp.path, 'tls-to-plain', `https://127.0.0.1:${plainPort}`);
  assert.is(
    message,
    `error: the server at https://127.0.0.1:${plainPort} does not speak TLS (it answers in plain HTTP); if that is right, write its address with http:// in the kubeconfig.`,
  );
});

messages('a plain-HTTP server that is not an API server says so', async ({ tmp, plainPort }) => {
  const message = await snapshotError(tmp.path, 'not-api', `http://127.0.0.1:${plainPort}`);
  assert.is(
    message,
    `error: the server at http://127.0.0.1:${plainPort} is not a Kubernetes API server (GET /api: 404 page not found); check the kubeconfig's server address.`,
  );
});

messages(
  "http:// to a TLS server: Go's 400 and a closed connection both say to write https://",
  async ({ tmp, sim, goTlsPort }) => {
    const go = await snapshotError(tmp.path, 'plain-to-go-tls', `http://127.0.0.1:${goTlsPort}`);
    assert.is(
      go,
      `error: the server at http://127.0.0.1:${goTlsPort} speaks TLS: write its address with https:// in the kubeconfig.`,
    );
    const node = await snapshotError(tmp.path, 'plain-to-sim', sim.url.replace('https://', 'http://'));
    assert.match(
      node,
      /the connection was closed without an answer \(if the server speaks TLS, write its address with https:\/\/ in the kubeconfig\)\.$/,
    );
  },
);

messages.run();
