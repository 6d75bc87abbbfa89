// A new digest key re-digests every redacted Secret value at once. That commit says so in its subject, so it
// reads as the key change it is rather than as every Secret changing. The key's id is in the committed README
// (repository-readme.ts); the README of a repository written before digests were keyed says "sha256 digests".
export const DIGEST_KEY_CHANGED_SUBJECT = 'secrets: digest key changed; every redacted value re-digested';

const UNKEYED = 'sha256';

/** The key a README says redacted values were digested with: its id, 'sha256' for unkeyed, undefined when not redacting. */
function digestKeyOf(readme: string): string | undefined {
  const keyed = /digest key id ([0-9a-f]{16})/.exec(readme);
  if (keyed) return keyed[1];
  return /^\| Secrets \| values replaced by sha256 digests/m.test(readme) ? UNKEYED : undefined;
}

/** `message` with the key change as its subject (the old subject first in the body) when the README's key changed. */
export function labelDigestKeyChange(message: string, previousReadme: string | undefined, readme: string): string {
  if (previousReadme === undefined) return message;
  const previous = digestKeyOf(previousReadme);
  const current = digestKeyOf(readme);
  if (previous === undefined || current === undefined || previous === current) return message;
  return `${DIGEST_KEY_CHANGED_SUBJECT}\n\n${message}`;
}
