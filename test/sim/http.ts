// Raw HTTPS requests against a simulator, for what a client library would hide (status codes, headers, streams).
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { Simulator } from '../../lib/sim/index.ts';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: any;
}

export function call(
  sim: Simulator,
  method: string,
  path: string,
  options: { body?: unknown; contentType?: string; accept?: string; token?: string | null; userAgent?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? sim.token : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (options.accept) headers.accept = options.accept;
    if (options.userAgent) headers['user-agent'] = options.userAgent;
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    const req = httpsRequest(`${sim.url}${path}`, { method, headers, ca: sim.caPem }, (res) => {
      let text = '';
      res.setEncoding('utf8'); // a character split between two chunks stays one character
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export interface WatchStream {
  events: any[];
  /** The events as they arrived, one JSON text each (without the newline). */
  lines: string[];
  /** Resolves with the events once `count` have arrived (or rejects after timeoutMs). */
  next(count: number, timeoutMs?: number): Promise<any[]>;
  ended: Promise<'end' | 'error'>;
  close(): void;
}

/** Opens a watch (path includes ?watch=1...) and collects its newline-separated JSON events. */
export function watch(sim: Simulator, path: string, accept?: string): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${sim.token}` };
    if (accept) headers.accept = accept;
    const events: any[] = [];
    const lines: string[] = [];
    const waiters = new Set<() => void>();
    let settle!: (how: 'end' | 'error') => void;
    const ended = new Promise<'end' | 'error'>((r) => (settle = r));
    const req = httpsRequest(`${sim.url}${path}`, { headers, ca: sim.caPem }, (res) => {
      let partial = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        partial += chunk;
        const received = partial.split('\n');
        partial = received.pop() ?? '';
        for (const line of received) {
          if (!line.trim()) continue;
          lines.push(line);
          events.push(JSON.parse(line));
        }
        for (const waiter of waiters) waiter();
      });
      res.on('end', () => settle('end'));
      res.on('error', () => settle('error'));
      res.on('aborted', () => settle('error'));
      resolve({
        events,
        lines,
        next(count, timeoutMs = 5000) {
          return new Promise((done, fail) => {
            const check = (): void => {
              if (events.length < count) return;
              waiters.delete(check);
              clearTimeout(timer);
              done(events.slice(0, count));
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(
                new Error(
                  `expected ${count} watch events within ${timeoutMs} ms, got ${events.length}: ${JSON.stringify(events.map((e) => e.type))}`,
                ),
              );
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        ended,
        close: () => req.destroy(),
      });
    });
    req.on('error', (error) => {
      settle('error');
      reject(error);
    });
    req.end();
  });
}
