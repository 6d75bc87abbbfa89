import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const COOKIE = 'kubesnap_session';

/**
 * The gate of a server reachable off loopback: a request carries the token once (`?token=` or
 * `Authorization: Bearer`), checked in constant time, and gets a session cookie (an HMAC of the token under a key
 * made at start, so the token itself is never stored in the browser and a restart ends every session).
 */
export class AccessToken {
  private readonly expected: Buffer;
  private readonly session: string;

  constructor(token: string) {
    this.expected = digest(token);
    this.session = createHmac('sha256', randomBytes(32)).update(token).digest('base64url');
  }

  /** Whether the request may proceed; a valid token also returns the cookie to set. */
  check(request: IncomingMessage, url: URL): { allowed: boolean; setCookie?: string } {
    if (this.matches(cookieOf(request), this.session)) return { allowed: true };
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const offered = bearer ?? url.searchParams.get('token');
    if (offered !== null && timingSafeEqual(digest(offered), this.expected)) {
      return { allowed: true, setCookie: `${COOKIE}=${this.session}; HttpOnly; SameSite=Strict; Path=/` };
    }
    return { allowed: false };
  }

  private matches(offered: string | undefined, expected: string): boolean {
    return offered !== undefined && timingSafeEqual(digest(offered), digest(expected));
  }
}

/** Comparing digests keeps timingSafeEqual's inputs the same length whatever was offered. */
function digest(value: string): Buffer {
  return createHmac('sha256', 'kubesnap-serve').update(value).digest();
}

function cookieOf(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}
