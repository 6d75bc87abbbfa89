/*
 * How a name becomes one path segment, reversibly.
 *
 * Kept as written: ASCII letters, digits, `-`, `:` (RBAC names such as
 * `system:controller:bootstrap-signer` use it) and `.` unless it comes first. Every other byte of the
 * name's UTF-8 form — `/`, `\`, NUL, `%`, `_`, spaces, unicode, a leading `.` — is written as
 * `%XX` (upper-case hex). `%` cannot occur in any valid Kubernetes name, so it is an unambiguous
 * marker and decoding gives the original back; `.`, `..`, `.git` can never appear as a segment, and
 * no encoded namespace can be `_cluster`.
 *
 * A segment longer than `maxSegmentBytes` (filesystems cap a file name near 255 bytes) is split into
 * folders: every piece but the last ends in a lone `%`, which no complete escape ends in.
 */

/** A name made only of kept characters, so it is its own encoding (nearly every name in a cluster). */
const keptName = /^[A-Za-z0-9\-:][A-Za-z0-9\-.:]*$/;
/** What `encodeName` can write: kept characters and escapes. */
const encodedText = /^(?:[A-Za-z0-9\-.:]|%[0-9A-F]{2})+$/;
export const maxSegmentBytes = 200;
const continuationMarker = '%';

function isKeptCharacter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x3a) ||
    code === 0x2d ||
    code === 0x2e
  );
}

function escapeByte(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Encoded units: each kept character or `%XX` escape, never split when a long name is chunked. */
function encodeUnits(name: string): string[] {
  const units: string[] = [];
  for (const character of name) {
    const isLeadingDot = character === '.' && units.length === 0;
    if (isKeptCharacter(character.charCodeAt(0)) && !isLeadingDot) {
      units.push(character);
    } else {
      for (const byte of Buffer.from(character, 'utf8')) units.push(escapeByte(byte));
    }
  }
  return units;
}

/** One path segment, never split: for namespaces, resources and groups, which Kubernetes keeps short. */
export function encodeSegment(name: string): string {
  return keptName.test(name) ? name : encodeUnits(name).join('');
}

export function decodeSegment(segment: string): string | undefined {
  return segment.endsWith(continuationMarker) ? undefined : decodeName([segment]);
}

/** The folder pieces an object name is written as: one piece unless the encoded name is too long. */
export function encodeName(name: string): string[] {
  if (name.length <= maxSegmentBytes && keptName.test(name)) return [name];
  const pieces: string[] = [];
  let piece = '';
  for (const unit of encodeUnits(name)) {
    if (piece.length + unit.length > maxSegmentBytes) {
      pieces.push(piece + continuationMarker);
      piece = '';
    }
    piece += unit;
  }
  pieces.push(piece);
  return pieces;
}

/** The name written as `pieces`, or undefined if they are not exactly what `encodeName` writes. */
export function decodeName(pieces: readonly string[]): string | undefined {
  if (pieces.length === 1 && pieces[0].length <= maxSegmentBytes && keptName.test(pieces[0])) return pieces[0];
  if (pieces.length === 0) return undefined;
  const last = pieces.length - 1;
  let encoded = '';
  for (const [index, piece] of pieces.entries()) {
    const continues = piece.endsWith(continuationMarker);
    if (index < last !== continues) return undefined;
    encoded += index < last ? piece.slice(0, -1) : piece;
  }
  if (!encodedText.test(encoded)) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  const canonical = encodeName(name);
  return canonical.length === pieces.length && canonical.every((p, i) => p === pieces[i]) ? name : undefined;
}
