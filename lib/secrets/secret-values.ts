// Secret values never reach a diff's output (nor restore's plan, nor show). Values committed as `sha256:` digests (the default) are
// shown as they are: a different digest is the visible sign that a value changed. Readable values (a
// repository written with `--secrets plain`, or a live read with it) are replaced by placeholders
// unless the user asks for them with --show-secrets.
import { isRedactedValue } from './redact.ts';

export const HIDDEN_VALUE = '(hidden)';
export const CHANGED_VALUE = '(value changed)';

type Manifest = Record<string, unknown>;

function isSecret(object: Manifest | undefined): boolean {
  return object?.kind === 'Secret' && object.apiVersion === 'v1';
}

function valuesOf(object: Manifest | undefined, field: string): Record<string, unknown> | undefined {
  const values = object?.[field];
  return values !== null && typeof values === 'object' && !Array.isArray(values)
    ? (values as Record<string, unknown>)
    : undefined;
}

function masked(object: Manifest, field: string, replace: (key: string, value: unknown) => unknown): Manifest {
  const values = valuesOf(object, field);
  if (!values) return object;
  return {
    ...object,
    [field]: Object.fromEntries(
      Object.entries(values).map(([key, value]) => [key, isRedactedValue(value) ? value : replace(key, value)]),
    ),
  };
}

/** Both versions of an object with every readable Secret value replaced; other kinds come back untouched. */
export function maskSecretValues(
  before: Manifest | undefined,
  after: Manifest | undefined,
): { before?: Manifest; after?: Manifest } {
  if (!isSecret(before) && !isSecret(after)) return { before, after };
  let maskedBefore = before;
  let maskedAfter = after;
  for (const field of ['data', 'stringData']) {
    const old = valuesOf(before, field);
    if (maskedBefore) maskedBefore = masked(maskedBefore, field, () => HIDDEN_VALUE);
    if (maskedAfter)
      maskedAfter = masked(maskedAfter, field, (key, value) =>
        old && key in old && old[key] !== value ? CHANGED_VALUE : HIDDEN_VALUE,
      );
  }
  return { before: maskedBefore, after: maskedAfter };
}
