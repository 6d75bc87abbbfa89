import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from './process-identity.ts';

/**
 * What a write that did not finish leaves in a repository, and removing it. kubesnap's object writer names its
 * temp files tmp_obj_/tmp_pack_/tmp_idx_ and 12 hex digits; git's own (mkstemp) have 6 letters or digits, so a
 * name tells whose a file is. A pack is renamed into place before its .idx, so one without its .idx is a write
 * that stopped between the two: nothing can read it, and no ref needs what is in it.
 */

/** Anything of git's or of another process is left alone until it has not been touched for this long. */
const ABANDONED_AFTER_MS = 15 * 60_000;
/** File times may lag the clock by a tick; a file written by a write that started at T has a time after T - this. */
const CLOCK_SLACK_MS = 1_000;

const KUBESNAP_TEMPORARY = /^tmp_(?:obj|pack|idx)_[0-9a-f]{12}$/;
const PACK = /^pack-[0-9a-f]{40}\.pack$/;
const LOCK_DRAFT = /^kubesnap\.lock\.(\d+)\.[0-9a-f]+$/;
const LOCK_TAKEOVER = /^kubesnap\.lock\.takeover-[0-9a-f]+$/;

interface Candidate {
  path: string;
  name: string;
  mtimeMs: number;
}

function candidates(dir: string, names: RegExp[]): Candidate[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const found: Candidate[] = [];
  for (const name of entries) {
    if (!names.some((pattern) => pattern.test(name))) continue;
    try {
      found.push({ path: join(dir, name), name, mtimeMs: statSync(join(dir, name)).mtimeMs });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** A .pack with neither its .idx nor a .keep or .promisor that says another program is still to finish it. */
function isUnindexedPack(candidate: Candidate): boolean {
  if (!PACK.test(candidate.name)) return false;
  const base = candidate.path.slice(0, -'.pack'.length);
  return !['.idx', '.keep', '.promisor'].some((extension) => existsSync(base + extension));
}

/** kubesnap's temp files and unindexed packs under objects/ (the pack folder and the loose fan-out folders). */
function objectDebris(gitdir: string): Candidate[] {
  const objects = join(gitdir, 'objects');
  let folders: string[];
  try {
    folders = readdirSync(objects).filter((name) => /^[0-9a-f]{2}$/.test(name));
  } catch {
    return [];
  }
  const packs = candidates(join(objects, 'pack'), [KUBESNAP_TEMPORARY, PACK]).filter(
    (file) => KUBESNAP_TEMPORARY.test(file.name) || isUnindexedPack(file),
  );
  return [...packs, ...folders.flatMap((folder) => candidates(join(objects, folder), [KUBESNAP_TEMPORARY]))];
}

function remove(files: Candidate[]): void {
  for (const file of files) rmSync(file.path, { force: true });
}

/** After a write of ours failed: removes what it left, the files of the kind it writes made since it started. */
export function removeFailedWriteFiles(gitdir: string, startedAtMs: number): void {
  remove(objectDebris(gitdir).filter((file) => file.mtimeMs >= startedAtMs - CLOCK_SLACK_MS));
}

/**
 * At start, holding the repository lock (so no other kubesnap writes here): removes kubesnap's temp files of any
 * age, lock drafts of processes that are gone, and unindexed packs and takeover files nobody touched for long.
 */
export function sweepTemporaryFiles(gitdir: string, nowMs = Date.now()): void {
  const abandoned = (file: Candidate) => nowMs - file.mtimeMs > ABANDONED_AFTER_MS;
  remove(objectDebris(gitdir).filter((file) => KUBESNAP_TEMPORARY.test(file.name) || abandoned(file)));
  remove(candidates(gitdir, [LOCK_DRAFT, LOCK_TAKEOVER]).filter((file) => abandoned(file) || isDeadDraft(file)));
}

/** A lock draft of a process that is gone, or of the one before us with our pid (a restarted PID 1). */
function isDeadDraft(file: Candidate): boolean {
  const pid = Number(LOCK_DRAFT.exec(file.name)?.[1]);
  if (!pid) return false;
  if (pid === process.pid) return file.mtimeMs < Date.now() - process.uptime() * 1000 - CLOCK_SLACK_MS;
  return !isAlive(pid);
}
