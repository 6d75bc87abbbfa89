// Who sent a request: the simulator's admin token, a service account token it issued, or no credentials at all
// (the anonymous user). Any other credential is refused with 401, as a real server refuses it.
import type { ServiceAccountTokens } from './service-account-tokens.ts';
import { unauthorized } from './status.ts';
import { ADMIN_USER, ANONYMOUS_USER, type UserInfo } from './users.ts';

export class Authenticator {
  private readonly adminHeader: string;

  constructor(
    private readonly adminToken: string,
    private readonly tokens: ServiceAccountTokens,
  ) {
    this.adminHeader = `Bearer ${adminToken}`;
  }

  /** The user of an Authorization header (undefined: none sent); throws the 401 Status for a bad credential. */
  authenticate(authorization: string | undefined): UserInfo {
    if (authorization === undefined) return ANONYMOUS_USER;
    if (authorization === this.adminHeader) return ADMIN_USER;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    const user = bearer ? this.userOfToken(bearer[1]) : undefined;
    if (!user) throw unauthorized();
    return user;
  }

  /** The user a bearer token authenticates as (a TokenReview's question). */
  userOfToken(token: string): UserInfo | undefined {
    return token === this.adminToken ? ADMIN_USER : this.tokens.authenticate(token);
  }
}
