import type { Author, SnapshotRepository } from '../store/index.ts';
import type { RestoreResult } from './types.ts';

/** Where restores are recorded: a git note on the restored commit, one line per restore (`git notes --ref kubesnap-restores show REV`). */
export const RESTORE_NOTES_REF = 'refs/notes/kubesnap-restores';

export interface RestoreRecord {
  result: RestoreResult;
  /** Who ran it (`restorerName`); undefined when nobody is known. */
  restorer: string | undefined;
  /** The cluster written to: `context (server)`. */
  target: string;
  at: Date;
}

/** `kubesnap-restore 2026-12-07T21:30:00Z by alice to prod (https://…): created 0, updated 1, deleted 0, failed 0` */
export function formatRestoreRecord({ result, restorer, target, at }: RestoreRecord): string {
  const { created, updated, deleted, failed, notRestored } = result.counts;
  const time = at.toISOString().replace(/\.\d+Z$/, 'Z');
  return `kubesnap-restore ${time}${restorer ? ` by ${restorer}` : ''} to ${target}: created ${created}, updated ${updated}, deleted ${deleted}, failed ${failed + notRestored}`;
}

/** Appends the restore's line to the note of the commit it restored; the note's commit is made as `author`. */
export async function recordRestore(
  repository: SnapshotRepository,
  record: RestoreRecord,
  author: Author,
): Promise<void> {
  await repository.appendNote(RESTORE_NOTES_REF, record.result.revision.commit, formatRestoreRecord(record), author);
}
