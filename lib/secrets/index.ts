// What happens to Secret values on their way into a snapshot.
//
// - redact (default): each value becomes `hmac-sha256:<hex>` of its decoded bytes under the digest key
//   (digest-key.ts), which never enters the repository; a change of value is visible as drift, the value
//   itself never is, only holders of the key can test a guess, and it cannot be restored. `sha256:<hex>`
//   values of older repositories are still read as redacted.
// - encrypt (`--age-recipient`): each value becomes age's armored ciphertext (age-encryption.org/v1,
//   X25519 recipients), which `age -d -i key` opens as it is; restore and diff --live decrypt with
//   `--age-identity`. age is randomised, so to keep an unchanged value's bytes (no commit per
//   snapshot) without the identity, the Secret carries the annotation
//   `kubesnap.io/encrypted-values: {"<key>":"hmac-sha256:<hex>"}`: HMAC-SHA256 of the value's bytes
//   (and the Secret's namespace, name and key) under a key derived from the sorted recipient list.
//   A value whose digest matches the committed one keeps the committed ciphertext. The recipients are
//   never written to the repository, so the digest is keyed for whoever reads only the repository;
//   whoever also knows the recipient list (public keys) can test a guessed value. New recipients change
//   every digest: everything is re-encrypted once.
// - plain: values stored readable, asked for by name. skip: no Secrets at all.
//
// Normalisation leaves values readable in 'encrypt' mode; the writers (snapshot, watch) seal them
// with a SecretSealer before anything is serialised for Git.

export type SecretsMode = 'redact' | 'skip' | 'plain' | 'encrypt';
export { parseRecipients, readIdentityFile, readRecipientsFile } from './age.ts';
export { SecretDecryptionError, SecretSealer, isEncryptedSecret, openSecret } from './sealing.ts';
export { isRedactedValue, redactSecret } from './redact.ts';
export { maskSecretValues, HIDDEN_VALUE, CHANGED_VALUE } from './secret-values.ts';
export { digestKeyId } from './digest-key.ts';
