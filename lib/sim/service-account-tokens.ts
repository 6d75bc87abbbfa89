// Service account tokens, as the TokenRequest subresource issues them: a JWT naming the service account and its
// uid, signed with a key of this simulator (HS256 where a real server uses RS256; no client checks it). A token
// authenticates while it has not expired and its service account still exists with the same uid.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { bucketOf, keyOf, type ObjectStore } from './store.ts';
import { serviceAccountUser, type UserInfo } from './users.ts';

/** The audience a v1.32 server puts in a token when the request names none (its --api-audiences). */
export const DEFAULT_AUDIENCES = ['https://kubernetes.default.svc'];
export const DEFAULT_EXPIRATION_SECONDS = 3600;
const ISSUER = 'https://kubernetes.default.svc.cluster.local';

interface Claims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  jti: string;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string } };
  nbf: number;
  sub: string;
}

export interface IssuedToken {
  token: string;
  expirationTimestamp: Date;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

const VERIFIED_TOKENS_MAX = 1000;

export class ServiceAccountTokens {
  private readonly key = randomBytes(32);
  // Tokens whose signature was checked (that costs ~15 µs a request); expiry and the account are checked each time.
  private readonly verified = new Map<string, { claims: Claims; user: UserInfo }>();

  constructor(
    private readonly store: () => ObjectStore,
    private readonly now: () => Date,
  ) {}

  private serviceAccount(namespace: string, name: string): { uid: string } | undefined {
    const object = this.store().get(bucketOf('', 'serviceaccounts'), keyOf(namespace, name));
    return object && { uid: String(object.metadata.uid) };
  }

  /** A token for an existing service account; undefined when there is no such service account. */
  issue(
    namespace: string,
    name: string,
    options: { audiences?: string[]; expirationSeconds?: number } = {},
  ): IssuedToken | undefined {
    const account = this.serviceAccount(namespace, name);
    if (!account) return undefined;
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    const expiresAt = issuedAt + (options.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS);
    const claims: Claims = {
      aud: options.audiences ?? DEFAULT_AUDIENCES,
      exp: expiresAt,
      iat: issuedAt,
      iss: ISSUER,
      jti: randomUUID(),
      'kubernetes.io': { namespace, serviceaccount: { name, uid: account.uid } },
      nbf: issuedAt,
      sub: serviceAccountUser(namespace, name, account.uid).username,
    };
    const signed = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
    return { token: `${signed}.${this.signature(signed)}`, expirationTimestamp: new Date(expiresAt * 1000) };
  }

  /** The service account a token was issued to, if the token is one of ours, unexpired, and the account still the same. */
  authenticate(token: string): UserInfo | undefined {
    const verified = this.verified.get(token) ?? this.verify(token);
    if (!verified || verified.claims.exp * 1000 <= this.now().getTime()) return undefined;
    const { namespace, serviceaccount } = verified.claims['kubernetes.io'];
    if (this.serviceAccount(namespace, serviceaccount.name)?.uid !== serviceaccount.uid) return undefined;
    return verified.user;
  }

  /** The claims of a token signed with this simulator's key, remembered; undefined for any other string. */
  private verify(token: string): { claims: Claims; user: UserInfo } | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = Buffer.from(this.signature(`${parts[0]}.${parts[1]}`));
    const presented = Buffer.from(parts[2]);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return undefined;
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims;
    const { namespace, serviceaccount } = claims['kubernetes.io'];
    const verified = { claims, user: serviceAccountUser(namespace, serviceaccount.name, serviceaccount.uid) };
    if (this.verified.size >= VERIFIED_TOKENS_MAX) this.verified.clear();
    this.verified.set(token, verified);
    return verified;
  }

  private signature(signed: string): string {
    return createHmac('sha256', this.key).update(signed).digest('base64url');
  }
}
