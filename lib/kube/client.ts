import https from 'node:https';
import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { ClusterError } from '../errors/index.ts';
import { ApiError } from './api-error.ts';
import type { ClusterConnection } from './kubeconfig.ts';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
  /** Give up on a request that sends nothing for this long. */
  timeoutMs?: number;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const USER_AGENT = 'kubesnap/0.1';

/** HTTP to one API server with the credentials of a kubeconfig context. The only place kubesnap speaks HTTP to Kubernetes. */
export class KubeClient {
  readonly connection: ClusterConnection;
  private readonly agent: https.Agent | http.Agent;
  private readonly secure: boolean;

  constructor(connection: ClusterConnection, options: { maxSockets?: number } = {}) {
    this.connection = connection;
    this.secure = connection.server.startsWith('https:');
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16, ...connection.tls };
    this.agent = this.secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  get server(): string {
    return this.connection.server;
  }

  /** A JSON request; non-2xx answers become ApiError (or ClusterError for 401). */
  async json<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.request(method, path, options);
    return JSON.parse(response.body.toString('utf8')) as T;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> {
    const response = await this.open(method, path, options);
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    if (response.statusCode! >= 400) throw this.errorFor(method, path, response, body);
    return { status: response.statusCode!, headers: response.headers, body };
  }

  /** A streaming request (watch): the caller reads the response; errors before the body are thrown. */
  async stream(path: string, options: RequestOptions = {}): Promise<IncomingMessage> {
    const response = await this.open('GET', path, options);
    if (response.statusCode! >= 400) {
      const chunks: Buffer[] = [];
      for await (const chunk of response) chunks.push(chunk as Buffer);
      throw this.errorFor('GET', path, response, Buffer.concat(chunks));
    }
    return response;
  }

  close(): void {
    this.agent.destroy();
  }

  private open(method: string, path: string, options: RequestOptions): Promise<IncomingMessage> {
    const url = new URL(this.connection.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    const payload =
      options.body === undefined
        ? undefined
        : typeof options.body === 'string' || Buffer.isBuffer(options.body)
          ? options.body
          : JSON.stringify(options.body);
    const headers: Record<string, string> = {
      ...this.connection.headers,
      Accept: options.accept ?? 'application/json',
      'User-Agent': USER_AGENT,
    };
    if (payload !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const transport = this.secure ? https : http;
    const send = (retryStaleSocket: boolean): Promise<IncomingMessage> =>
      new Promise((resolve, reject) => {
        const request = transport.request(url, { method, headers, agent: this.agent, signal: options.signal }, resolve);
        if (options.timeoutMs) {
          request.setTimeout(options.timeoutMs, () =>
            request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
          );
        }
        request.on('error', (error) => {
          // A kept-alive connection the server closed meanwhile (it restarted, or timed the connection out)
          // fails before anything was sent: that is safe to send again once, on a fresh connection.
          if (retryStaleSocket && request.reusedSocket && (error as NodeJS.ErrnoException).code === 'ECONNRESET') {
            resolve(send(false));
            return;
          }
          reject(this.connectionError(error, options.signal));
        });
        request.end(payload);
      });
    return send(true);
  }

  private connectionError(error: Error, signal?: AbortSignal): Error {
    if (signal?.aborted) return error;
    const code = (error as NodeJS.ErrnoException).code;
    // OpenSSL's own text spans lines and names source files: a plain-HTTP answer to a TLS hello gets one sentence.
    if (code === 'EPROTO' && /wrong version number|packet length too long|http request/i.test(error.message)) {
      return new ClusterError(
        `the server at ${this.connection.server} does not speak TLS (it answers in plain HTTP); if that is right, write its address with http:// in the kubeconfig.`,
        { cause: error },
      );
    }
    const detail =
      code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'ENOTFOUND'
          ? 'host not found'
          : code === 'ECONNRESET' && !this.secure
            ? 'the connection was closed without an answer (if the server speaks TLS, write its address with https:// in the kubeconfig)'
            : code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS/.test(code)
              ? `TLS verification failed (${code})`
              : error.message.split('\n')[0];
    return new ClusterError(`cannot reach the API server at ${this.connection.server}: ${detail}.`, { cause: error });
  }

  private errorFor(method: string, path: string, response: IncomingMessage, body: Buffer): Error {
    const status = response.statusCode!;
    let reason = response.statusMessage ?? '';
    let message = body.toString('utf8').trim().split('\n')[0] || `${status} ${reason}`;
    let details: Record<string, unknown> | undefined;
    try {
      const parsed = JSON.parse(body.toString('utf8'));
      if (parsed?.kind === 'Status') {
        reason = parsed.reason ?? reason;
        message = parsed.message ?? message;
        details = parsed.details;
      }
    } catch {
      // a plain-text answer (404 page not found for an unknown group/version) keeps its first line
    }
    if (status === 401) {
      return new ClusterError(
        `the API server at ${this.connection.server} rejected the credentials of context "${this.connection.contextName}" (401 Unauthorized).`,
      );
    }
    if (status === 400 && /HTTP request to an HTTPS server/i.test(message)) {
      return new ClusterError(
        `the server at ${this.connection.server} speaks TLS: write its address with https:// in the kubeconfig.`,
      );
    }
    // Every Kubernetes API server serves /api (the core group's versions): without it, this is some other server.
    if (status === 404 && path.split('?')[0] === '/api') {
      return new ClusterError(
        `the server at ${this.connection.server} is not a Kubernetes API server (GET /api: ${message}); check the kubeconfig's server address.`,
      );
    }
    const retryAfter = Number(response.headers['retry-after']);
    return new ApiError(status, reason, `${method} ${path.split('?')[0]}: ${message}`, {
      retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
      details,
    });
  }
}
