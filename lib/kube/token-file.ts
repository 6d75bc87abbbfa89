import { readFileSync, statSync } from 'node:fs';
import { KubeconfigError } from '../errors/index.ts';

/**
 * A bearer token kept in a file that its owner rotates (a pod's bound service-account token, a kubeconfig's
 * `tokenFile`): read again when the file changed, checked at most once a minute, as client-go does. The first read
 * must succeed; after that a file that cannot be read leaves the token already read in use.
 */
export class TokenFile {
  private cached = '';
  private checkedAt = 0;
  private modifiedAt = -1;

  /** `label` names the file in errors: `the service account token`, `the token file`. */
  constructor(
    private readonly file: string,
    private readonly label: string,
  ) {}

  value(): string {
    const now = Date.now();
    if (this.cached && now - this.checkedAt < 60_000) return this.cached;
    this.checkedAt = now;
    try {
      const modifiedAt = statSync(this.file).mtimeMs;
      if (modifiedAt !== this.modifiedAt || !this.cached) {
        const token = readFileSync(this.file, 'utf8').trim();
        if (!token) throw new KubeconfigError(`${this.label} ${this.file} is empty.`);
        this.cached = token;
        this.modifiedAt = modifiedAt;
      }
    } catch (error) {
      if (error instanceof KubeconfigError) throw error;
      if (!this.cached)
        throw new KubeconfigError(
          `${this.label} ${this.file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}.`,
          { cause: error },
        );
    }
    return this.cached;
  }

  /** Request headers whose Authorization is read for every request, so that a rotated token is used. */
  headers(): Record<string, string> {
    this.value();
    const token = this;
    return {
      get Authorization() {
        return `Bearer ${token.value()}`;
      },
    } as Record<string, string>;
  }
}

/** The Authorization header of HTTP basic auth. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
