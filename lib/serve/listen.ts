import { isIPv4, isIPv6 } from 'node:net';
import { UsageError } from '../errors/index.ts';

export interface ListenAddress {
  host: string;
  port: number;
}

/** `127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:80` or `:8080` (loopback) → host and port. */
export function parseListen(spec: string): ListenAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(spec);
  const port = Number(match?.[3]);
  const host = match?.[1] ?? (match?.[2] || '127.0.0.1');
  if (!match || port > 65535 || (host !== 'localhost' && !isIPv4(host) && !isIPv6(host))) {
    throw new UsageError(
      `--listen "${spec}" is not HOST:PORT with an IP address (127.0.0.1:8080, 0.0.0.0:8080, [::1]:8080).`,
    );
  }
  return { host, port };
}

/** Whether only this machine can reach the address: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || /^::ffff:127\./i.test(host);
}
