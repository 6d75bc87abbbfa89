/** The three things a drill proves can come back: the configuration, the etcd snapshot, the images. */
export type DrillPartName = 'config' | 'etcd' | 'images';

/** passed and failed are verdicts; skipped means the part was not asked for or could not run here (and says why). */
export type DrillStatus = 'passed' | 'failed' | 'skipped';

export interface DrillPart {
  part: DrillPartName;
  status: DrillStatus;
  /** One sentence: what was checked and how it went. */
  summary: string;
  /** One line per object, key or image that failed, naming it. */
  problems: string[];
  /** What was left out on purpose and why (redacted Secrets): listed, not a failure. */
  notes: string[];
}

export interface DrillReport {
  revision: { label: string; commit: string };
  /** ISO time the drill started. */
  startedAt: string;
  durationMs: number;
  parts: DrillPart[];
  /** True when no part failed. */
  passed: boolean;
}
