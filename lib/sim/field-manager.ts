// The real server's check of a write's fieldManager (metav1 validation's ValidateFieldManager): at most 128 bytes,
// every character printable as Go's unicode.IsPrint says. A failure is 422 Invalid on the write's options kind.
import { invalid, type StatusCause } from './status.ts';

const MAX_BYTES = 128;
/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const OPTIONS_KIND: Record<string, string> = { POST: 'CreateOptions', PUT: 'UpdateOptions', PATCH: 'PatchOptions' };

/** Go's `%#U`: `U+000A`, with the character quoted after it when printable. */
function codePoint(character: string): string {
  const hex = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  return PRINTABLE.test(character) ? `${hex} '${character}'` : hex;
}

export function validateFieldManager(manager: string, method: string, name: string | undefined): void {
  const causes: StatusCause[] = [];
  if (Buffer.byteLength(manager, 'utf8') > MAX_BYTES)
    causes.push({
      reason: 'FieldValueTooLong',
      message: `Too long: may not be more than ${MAX_BYTES} bytes`,
      field: 'fieldManager',
    });
  let position = 0;
  for (const character of manager) {
    if (!PRINTABLE.test(character))
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(manager)}: invalid character ${codePoint(character)} (at position ${position})`,
        field: 'fieldManager',
      });
    position += Buffer.byteLength(character, 'utf8');
  }
  if (causes.length > 0) throw invalid('meta.k8s.io', OPTIONS_KIND[method] ?? 'CreateOptions', name ?? '', causes);
}
