import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from 'find-my-way';
import { KubesnapError, UsageError } from '../errors/index.ts';
import type { AccessToken } from './access-token.ts';
import { isLoopback, type ListenAddress } from './listen.ts';
import { PageNotFound } from './not-found.ts';
import {
  commitPage,
  comparePage,
  driftPage,
  objectPage,
  restorePage,
  timelinePage,
  type PageContext,
} from './pages.ts';
import { serveStylesheet } from './stylesheet.ts';

export interface ServeOptions {
  listen: ListenAddress;
  /** Required when `listen` is not a loopback address. */
  token?: AccessToken;
  pages: PageContext;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Scripts never run; styles, the only other resource, come from this server. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

type Page = (url: URL, params: Record<string, string | undefined>) => Promise<string>;

/** Starts the read-only web server; a non-loopback address without a token is refused before anything listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  if (!isLoopback(options.listen.host) && !options.token) {
    throw new UsageError(
      `--listen ${options.listen.host} is reachable from other machines; give --token-file so only those who have the token can read the history.`,
    );
  }
  const router = pageRouter(options.pages);
  const server = createServer((request, response) => void answer(router, options, request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new UsageError(
          `cannot listen on ${options.listen.host}:${options.listen.port}: ${error.code ?? error.message}.`,
        ),
      ),
    );
    server.listen(options.listen.port, options.listen.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${host}:${address.port}/`, close: () => closeServer(server) };
}

function pageRouter(context: PageContext) {
  const router = Router<Router.HTTPVersion.V1>({ ignoreTrailingSlash: true });
  const pages: [string, Page][] = [
    ['/', (url) => timelinePage(context, url.searchParams)],
    ['/commit/:revision', (_url, params) => commitPage(context, params.revision!)],
    ['/compare/*', (_url, params) => comparePage(context, params['*']!)],
    ['/object/*', (url, params) => objectPage(context, params['*']!, url.searchParams)],
    ['/drift', (url) => driftPage(context, url.searchParams)],
    ['/restore', (url) => restorePage(context, url.searchParams)],
  ];
  for (const [path, page] of pages) router.on('GET', path, () => {}, { page });
  return router;
}

async function answer(
  router: ReturnType<typeof pageRouter>,
  options: ServeOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://serve.invalid');
  const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
    response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...headers });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  const page = (status: number, title: string, message: string) =>
    send(status, 'text/html; charset=utf-8', options.pages.views.render('message', { title, message }));
  const gate = options.token?.check(request, url) ?? { allowed: true };
  if (!gate.allowed)
    return page(
      401,
      'Token required',
      'This server needs its token: open it once with ?token=… (the content of --token-file).',
    );
  const cookie: Record<string, string> = gate.setCookie ? { 'set-cookie': gate.setCookie } : {};
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return send(405, 'text/plain; charset=utf-8', 'read-only: GET only\n', { allow: 'GET, HEAD' });
  if (url.pathname === '/assets/serve.css') return send(200, 'text/css; charset=utf-8', serveStylesheet(), cookie);
  // Browsers ask for it on every page; a 404 would be a console error on each.
  if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
  let found;
  try {
    found = router.find('GET', url.pathname);
  } catch {
    found = null;
  }
  const handler = (found?.store as { page?: Page } | undefined)?.page;
  if (!found || !handler) return page(404, 'Not found', `Nothing is at ${url.pathname}.`);
  try {
    send(200, 'text/html; charset=utf-8', await handler(url, found.params), cookie);
  } catch (error) {
    if (error instanceof PageNotFound || error instanceof KubesnapError) return page(404, 'Not found', error.message);
    page(500, 'Failed', `unexpected failure: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
