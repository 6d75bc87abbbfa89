import {
  changeSummary,
  folderCounts,
  labelDigestKeyChange,
  repositoryReadme,
  snapshotCommitMessage,
  README_PATH,
  type ClusterIdentity,
  type PathChange,
} from '../history/index.ts';
import { systemClock, type Clock } from '../health/index.ts';
import type { NormalizeOptions, SkipReason } from '../normalize/index.ts';
import { withRepositoryDigestKey } from '../secrets/digest-key.ts';
import type { Author } from '../store/index.ts';
import { readClusterChanges, type ClusterReadOptions } from './cluster-changes.ts';
import type { UnreadableResource } from './collect.ts';

export { type UnreadableResource } from './collect.ts';
export { readClusterChanges, type ClusterReadOptions } from './cluster-changes.ts';

export interface SnapshotOptions extends ClusterReadOptions {
  cluster: ClusterIdentity;
  /** With `sealer`, `secrets` becomes 'encrypt'. */
  normalize?: NormalizeOptions;
  author: Author;
  /** The commit's time. */
  clock?: Clock;
}

export interface SnapshotResult {
  /** The new commit, or undefined when nothing changed. */
  commit?: string;
  summary: string;
  changes: PathChange[];
  objects: number;
  skippedObjects: Partial<Record<SkipReason, number>>;
  skippedKinds: Partial<Record<SkipReason, string[]>>;
  unreadable: UnreadableResource[];
}

/** One snapshot: read the whole (selected) cluster, compare with the last commit, commit the difference. */
export async function takeSnapshot(options: SnapshotOptions): Promise<SnapshotResult> {
  const clock = options.clock ?? systemClock;
  const repository = options.repository;
  const normalize = await withRepositoryDigestKey<NormalizeOptions>(
    options.sealer ? { ...options.normalize, secrets: 'encrypt' } : (options.normalize ?? {}),
    repository.gitdir,
    { create: true },
  );
  const head = await repository.head();
  const headFiles = head ? await repository.readFiles(head) : new Map<string, string>();
  const { state, planned } = await readClusterChanges({ ...options, normalize, base: head, baseFiles: headFiles });

  const readmePath = options.prefix ? `${options.prefix}/${README_PATH}` : README_PATH;
  const resultingPaths = new Set(headFiles.keys());
  for (const change of planned.files) {
    if (change.content === null) resultingPaths.delete(change.path);
    else resultingPaths.add(change.path);
  }
  const readme = repositoryReadme({
    cluster: options.cluster,
    folders: folderCounts(resultingPaths, options.prefix).values(),
    normalize,
    unreadable: state.unreadable.map((entry) => `${entry.resource} (${entry.reason})`),
  });
  const oldReadme =
    head && headFiles.has(readmePath) ? (await repository.readFile(head, readmePath))?.toString('utf8') : undefined;
  const files = [...planned.files];
  if (readme !== oldReadme) {
    files.push({ path: readmePath, content: readme });
  }

  const result: SnapshotResult = {
    summary: changeSummary(planned.changes),
    changes: planned.changes,
    objects: state.files.size,
    skippedObjects: Object.fromEntries(state.skippedObjects),
    skippedKinds: Object.fromEntries(state.skippedKinds),
    unreadable: state.unreadable,
  };
  if (files.length === 0) return result;
  const committed = await repository.commitChanges(files, {
    message: labelDigestKeyChange(snapshotCommitMessage(planned.changes, options.cluster), oldReadme, readme),
    author: { ...options.author, timestamp: Math.floor(clock.now() / 1000) },
  });
  return { ...result, commit: committed?.commit };
}
