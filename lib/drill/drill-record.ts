import type { Author, SnapshotRepository } from '../store/index.ts';
import type { DrillPartName, DrillReport, DrillStatus } from './types.ts';

/** Where drills are recorded: a git note on the drilled commit, one line per drill (`git notes --ref kubesnap-drills show REV`). */
export const DRILL_NOTES_REF = 'refs/notes/kubesnap-drills';

/** One drill of one commit as its note line says it: `kubesnap-drill 2026-12-07T19:30:00Z passed config=passed etcd=skipped images=passed`. */
export interface DrillRecord {
  at: Date;
  passed: boolean;
  parts: Partial<Record<DrillPartName, DrillStatus>>;
}

const LINE = /^kubesnap-drill (\S+) (passed|failed)((?: [a-z]+=[a-z]+)*)$/;

export function formatDrillRecord(report: DrillReport): string {
  const at = report.startedAt.replace(/\.\d+Z$/, 'Z');
  return `kubesnap-drill ${at} ${report.passed ? 'passed' : 'failed'}${report.parts.map((p) => ` ${p.part}=${p.status}`).join('')}`;
}

/** The drill lines of a note; other lines (a reviewer's own note) are left alone. */
export function parseDrillRecords(note: string): DrillRecord[] {
  const records: DrillRecord[] = [];
  for (const line of note.split('\n')) {
    const match = LINE.exec(line.trim());
    if (!match || Number.isNaN(Date.parse(match[1]))) continue;
    const parts: DrillRecord['parts'] = {};
    for (const pair of match[3].trim().split(' ').filter(Boolean)) {
      const [part, status] = pair.split('=');
      if (
        (part === 'config' || part === 'etcd' || part === 'images') &&
        (status === 'passed' || status === 'failed' || status === 'skipped')
      )
        parts[part] = status;
    }
    records.push({ at: new Date(match[1]), passed: match[2] === 'passed', parts });
  }
  return records;
}

export async function recordDrill(repository: SnapshotRepository, report: DrillReport, author: Author): Promise<void> {
  await repository.appendNote(DRILL_NOTES_REF, report.revision.commit, formatDrillRecord(report), author);
}

/** Drilled commit id → its drills, oldest first. */
export async function readDrillRecords(repository: SnapshotRepository): Promise<Map<string, DrillRecord[]>> {
  const records = new Map<string, DrillRecord[]>();
  for (const [commit, note] of await repository.readNotes(DRILL_NOTES_REF)) {
    const parsed = parseDrillRecords(note);
    if (parsed.length > 0) records.set(commit, parsed);
  }
  return records;
}

export interface DrillStatistics {
  /** Per part, the time of its last passing drill in seconds since the epoch. */
  lastSuccessSeconds: Partial<Record<DrillPartName, number>>;
  /** Drills that failed, over every commit. */
  failures: number;
}

export function drillStatistics(records: Iterable<DrillRecord[]>): DrillStatistics {
  const statistics: DrillStatistics = { lastSuccessSeconds: {}, failures: 0 };
  for (const record of [...records].flat()) {
    if (!record.passed) statistics.failures++;
    for (const [part, status] of Object.entries(record.parts) as Array<[DrillPartName, DrillStatus]>) {
      const seconds = record.at.getTime() / 1000;
      if (status === 'passed' && seconds > (statistics.lastSuccessSeconds[part] ?? 0))
        statistics.lastSuccessSeconds[part] = seconds;
    }
  }
  return statistics;
}
