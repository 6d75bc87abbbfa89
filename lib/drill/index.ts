/**
 * lib/drill — prove that a revision of the backup can be restored: its configuration (into the simulator, drill
 * namespaces or a staging cluster, then read back), its etcd snapshot (restored and served by a throwaway etcd) and
 * its images (present in the secondary registry). Results as data; the drill is recorded as a git note on the
 * drilled commit, which `watch` exports as metrics and `log` shows.
 *
 *   await runDrill({ repository, revision, config: { target }, etcd?, images?, author }) → DrillReport
 *   renderDrillText(report), renderDrillMarkdown(report)
 *
 * The drill notes (drill-record.ts: DRILL_NOTES_REF, readDrillRecords, drillStatistics) are imported from their own
 * file: watch and log read them without loading the restore and the simulator this index brings.
 */
import { systemClock, type Clock } from '../health/index.ts';
import type { NormalizeOptions } from '../normalize/index.ts';
import type { Author, SnapshotRepository } from '../store/index.ts';
import { drillConfiguration, type DrillTarget } from './config-drill.ts';
import { recordDrill } from './drill-record.ts';
import { drillEtcd, type EtcdDrillOptions } from './etcd-drill.ts';
import { drillImages } from './image-drill.ts';
import type { DrillPart, DrillReport } from './types.ts';

export type { DrillReport } from './types.ts';
export type { DrillTarget } from './config-drill.ts';
export { renderDrillMarkdown, renderDrillText } from './render.ts';

export interface DrillOptions {
  repository: SnapshotRepository;
  /** Any revision the store resolves; default HEAD. */
  revision?: string;
  config: {
    target: DrillTarget;
    normalize?: NormalizeOptions;
    ageIdentities?: readonly string[];
    readyTimeoutMs?: number;
  };
  etcd?: EtcdDrillOptions;
  images?: { registry: string; insecure?: boolean };
  prefix?: string;
  /** Who the drill note is written as; no note is written without one. */
  author?: Author;
  /** Where the drill's start and duration and its waits read the time; default the system's. */
  clock?: Clock;
  signal?: AbortSignal;
}

export async function runDrill(options: DrillOptions): Promise<DrillReport> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const label = options.revision ?? 'HEAD';
  const commit = await options.repository.resolve(label);
  const { repository, prefix, signal } = options;
  const parts: DrillPart[] = [
    await drillConfiguration({ repository, commit, prefix, signal, clock, ...options.config }),
  ];
  // An interrupted part proves nothing either way: nothing is reported or recorded.
  signal?.throwIfAborted();
  if (options.etcd) parts.push(await drillEtcd({ clock, ...options.etcd }));
  if (options.images) parts.push(await drillImages({ repository, commit, prefix, ...options.images }));
  signal?.throwIfAborted();
  const report: DrillReport = {
    revision: { label, commit },
    startedAt: new Date(started).toISOString(),
    durationMs: clock.now() - started,
    parts,
    passed: parts.every((part) => part.status !== 'failed'),
  };
  if (options.author) await recordDrill(repository, report, options.author);
  return report;
}
