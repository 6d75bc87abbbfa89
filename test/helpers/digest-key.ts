/** A fixed key for redacted Secret digests in tests that normalise Secrets outside a repository (never a real key). */
export const testDigestKey = Buffer.from('kubesnap test digest key, not a secret');
