import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { git, run } from '../helpers/processes.ts';

/** A bare repository to serve, with pushes over smart HTTP allowed. */
export async function createBareRemote(root: string, name: string): Promise<string> {
  const path = join(root, name);
  await run('git', ['init', '-q', '--bare', '-b', 'main', path]);
  await git(path, 'config', 'http.receivepack', 'true');
  return path;
}

export interface RefusingHook {
  /** How many pushes the hook has refused. */
  runs(): number;
  /** Takes the hook out: pushes are accepted again. */
  remove(): void;
}

/** A pre-receive hook in a served bare repository that prints `lines` (no single quotes in them) as a policy check would, and refuses every push. */
export function installRefusingHook(bareRepository: string, lines: string[]): RefusingHook {
  const hook = join(bareRepository, 'hooks', 'pre-receive');
  const runs = join(bareRepository, 'refused-pushes');
  writeFileSync(runs, '');
  const print = lines.map((line) => `echo '${line}' >&2`).join('\n');
  writeFileSync(hook, `#!/bin/sh\necho refused >> '${runs}'\n${print}\nexit 1\n`, { mode: 0o755 });
  return {
    runs: () => readFileSync(runs, 'utf8').split('\n').filter(Boolean).length,
    remove: () => rmSync(hook),
  };
}

export interface GitHttpServer {
  url(repository: string): string;
  port: number;
  /** Requests answered, by method and path (no credentials). */
  requests: string[];
  stop(): Promise<void>;
  /** Listens again on the same port after stop(). */
  restart(): Promise<void>;
}

/**
 * `git http-backend` (smart HTTP, CGI) behind a Node HTTP server on 127.0.0.1, serving every repository under
 * `root`. Every request must carry HTTP Basic credentials whose password is `token`; anything else is a 401.
 */
export async function startGitHttpServer(root: string, token: string): Promise<GitHttpServer> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${request.method} ${url.pathname}`);
    const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
    const [user, ...password] =
      scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString().split(':') : [];
    if (password.join(':') !== token) {
      response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
      response.end('unauthorized\n');
      return;
    }
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: request.method,
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      REMOTE_USER: user,
      REMOTE_ADDR: '127.0.0.1',
      GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
    };
    if (request.headers['content-length']) env.CONTENT_LENGTH = request.headers['content-length'];
    if (request.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = request.headers['content-encoding'];
    if (request.headers['git-protocol']) env.GIT_PROTOCOL = String(request.headers['git-protocol']);
    const cgi = spawn('/usr/lib/git-core/git-http-backend', [], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    request.pipe(cgi.stdin);
    cgi.stdin.on('error', () => undefined);
    let head = Buffer.alloc(0);
    let headersSent = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) return void response.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
      if (end < 0) return;
      const separator = head[end] === 0x0d ? 4 : 2;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      headersSent = true;
      response.write(head.subarray(end + separator));
    });
    cgi.on('close', () => {
      if (!headersSent) response.writeHead(502);
      response.end();
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    requests,
    url: (repository) => `http://127.0.0.1:${port}/${repository}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    restart: () => listen(port),
  };
}

export interface SshServer {
  url(path: string): string;
  /** Environment for git clients: GIT_SSH_COMMAND with the client key and port. */
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`sshd did not listen on ${port}: ${output()}`);
}

/** Debian's sshd on a random 127.0.0.1 port with generated host and client keys, its own config in `dir`. */
export async function startSshServer(dir: string): Promise<SshServer> {
  mkdirSync(dir, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true });
  const hostKey = join(dir, 'host_key');
  const clientKey = join(dir, 'client_key');
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey]);
  await run('cp', [`${clientKey}.pub`, join(dir, 'authorized_keys')]);
  const port = await freePort();
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin yes',
      'PrintMotd no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  await waitForPort(port, child, () => output);
  const user = process.env.USER || 'root';
  return {
    url: (path) => `ssh://${user}@127.0.0.1${path}`,
    env: {
      GIT_SSH_COMMAND: `ssh -i ${clientKey} -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p ${port}`,
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
