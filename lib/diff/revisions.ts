import { parseObjectPath } from '../layout/index.ts';
import { changedPaths, resolveRevisionSpec, type RevisionSpec, type SnapshotRepository } from '../store/index.ts';
import { offlineObjectFilter, type DiffFilter } from './filter.ts';
import { objectChange } from './object-change.ts';
import type { ChangeSet, DiffSide, ObjectChange } from './types.ts';

/** What a diff of two revisions reads: a read-only repository is enough. */
type RevisionReader = Pick<SnapshotRepository, 'gitdir' | 'resolve' | 'commitAt' | 'readBlob' | 'changedPaths'>;

export interface RevisionDiffOptions {
  repository: RevisionReader;
  /** Default `HEAD~1`; null is the empty tree before the first commit. */
  from?: RevisionSpec | null;
  /** Default `HEAD`. */
  to?: RevisionSpec;
  filter?: DiffFilter;
  /** The folder the snapshot was written under (`--prefix`). */
  prefix?: string;
  showSecrets?: boolean;
}

/**
 * What changed between two revisions, object by object. Only the trees and files that differ are read
 * (see changedPaths), so the cost follows the number of changes, not the size of the repository.
 */
export async function diffRevisions(options: RevisionDiffOptions): Promise<ChangeSet> {
  const { repository } = options;
  const to = await resolveRevisionSpec(repository, options.to ?? 'HEAD');
  const from: DiffSide =
    options.from === null ? { label: '(empty)' } : await resolveRevisionSpec(repository, options.from ?? 'HEAD~1');
  const filter = offlineObjectFilter(options.filter ?? {});
  const objects: ObjectChange[] = [];
  for (const { path, before, after } of await changedPaths(repository, from.commit, to.commit)) {
    const identity = parseObjectPath(path, options.prefix);
    if (!identity || !filter.acceptsPath(path, identity)) continue;
    const change = objectChange(
      path,
      before === undefined ? undefined : await repository.readBlob(before),
      after === undefined ? undefined : await repository.readBlob(after),
      { prefix: options.prefix, showSecrets: options.showSecrets },
    );
    if (change && filter.acceptsObject(change)) objects.push(change);
  }
  return { from, to, objects };
}
