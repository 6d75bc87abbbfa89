// How a restore names itself in managedFields, so the history a watch keeps can say a restore made a change and
// who ran it: the field manager `kubesnap-restore (alice)`. The API server refuses a fieldManager longer than
// 128 bytes or with a character Go's unicode.IsPrint rejects (ValidateFieldManager), so the name is made to fit.

const RESTORE_MANAGER = 'kubesnap-restore';
const FIELD_MANAGER_MAX_BYTES = 128;
const RESTORE_MANAGER_WITH_RESTORER = /^kubesnap-restore \((.+)\)$/s;
/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const NOT_PRINTABLE = /[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/gu;
const ELLIPSIS = '…';

const bytesOf = (text: string) => Buffer.byteLength(text, 'utf8');

/** `text` cut to at most `maxBytes` UTF-8 bytes, never inside a character, ending in `…` when cut. */
function fitBytes(text: string, maxBytes: number): string {
  if (bytesOf(text) <= maxBytes) return text;
  let kept = '';
  for (const character of text) {
    if (bytesOf(kept) + bytesOf(character) + bytesOf(ELLIPSIS) > maxBytes) break;
    kept += character;
  }
  return kept + ELLIPSIS;
}

/** The field manager a restore writes as: `kubesnap-restore (restorer)`, or `kubesnap-restore` when nobody is known. */
export function restoreFieldManager(restorer: string | undefined): string {
  // Single spaces only: a watch's body line separates its parts with two.
  const printable = restorer?.replace(NOT_PRINTABLE, '?').replace(/ {2,}/g, ' ').trim();
  if (!printable) return RESTORE_MANAGER;
  const room = FIELD_MANAGER_MAX_BYTES - bytesOf(`${RESTORE_MANAGER} ()`);
  return `${RESTORE_MANAGER} (${fitBytes(printable, room)})`;
}

/** Whether a field manager is a restore's (of any restorer, or of a restore that named nobody). */
export function isRestoreManager(manager: string): boolean {
  return manager === RESTORE_MANAGER || RESTORE_MANAGER_WITH_RESTORER.test(manager);
}

/** Who ran the restore a field manager names; undefined for another manager or a restore that named nobody. */
export function restorerOf(manager: string): string | undefined {
  return RESTORE_MANAGER_WITH_RESTORER.exec(manager)?.[1];
}
