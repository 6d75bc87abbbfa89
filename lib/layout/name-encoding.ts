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

const keptCharacter = /^[A-Za-z0-9\-.:]$/;
export const maxSegmentBytes = 200;
const continuationMarker = '%';

function escapeByte(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Encoded units: each kept character or `%XX` escape, never split when a long name is chunked. */
function encodeUnits(name: string): string[] {
  const units: string[] = [];
  for (const character of name) {
    const isLeadingDot = character === '.' && units.length === 0;
    if (keptCharacter.test(character) && !isLeadingDot) {
      units.push(character);
    } else {
      for (const byte of Buffer.from(character, 'utf8')) units.push(escapeByte(byte));
    }
  }
  return units;
}

/** One path segment, never split: for namespaces, resources and groups, which Kubernetes keeps short. */
export function encodeSegment(name: string): string {
  return encodeUnits(name).join('');
}

export function decodeSegment(segment: string): string | undefined {
  return segment.endsWith(continuationMarker) ? undefined : decodeName([segment]);
}

/** The folder pieces an object name is written as: one piece unless the encoded name is too long. */
export function encodeName(name: string): string[] {
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
  if (pieces.length === 0) return undefined;
  const last = pieces.length - 1;
  let encoded = '';
  for (const [index, piece] of pieces.entries()) {
    const continues = piece.endsWith(continuationMarker);
    if ((index < last) !== continues) return undefined;
    encoded += index < last ? piece.slice(0, -1) : piece;
  }
  if (encoded === '' || !/^(?:[A-Za-z0-9\-.:]|%[0-9A-F]{2})+$/.test(encoded)) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  const canonical = encodeName(name);
  return canonical.length === pieces.length && canonical.every((p, i) => p === pieces[i]) ? name : undefined;
}
