import { RepositoryError } from '../errors/index.ts';
import { parseObjectPath } from '../layout/index.ts';
import { changedPaths, type SnapshotRepository } from '../store/index.ts';
import { offlineObjectFilter, type DiffFilter } from './filter.ts';
import { objectChange } from './object-change.ts';
import type { ChangeSet, DiffSide, ObjectChange } from './types.ts';

/** A revision as git spells it (`HEAD~3`, a tag, `main@{2026-11-20 10:00}`), or the last commit at or before a time. */
export type RevisionSpec = string | { at: Date };

/** What a diff of two revisions reads: a read-only repository is enough. */
type RevisionReader = Pick<SnapshotRepository, 'gitdir' | 'resolve' | 'commitAt' | 'readBlob'>;

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

/** A revision or a time → the commit it names, with how the user spelled it. */
export async function resolveSide(repository: RevisionReader, spec: RevisionSpec): Promise<Required<DiffSide>> {
  if (typeof spec === 'string') return { label: spec, commit: await repository.resolve(spec) };
  const commit = await repository.commitAt(spec.at);
  const label = spec.at.toISOString().replace(/\.000Z$/, 'Z');
  if (!commit) throw new RepositoryError(`There is no commit at or before ${label}.`);
  return { label: `@${label}`, commit };
}

/**
 * What changed between two revisions, object by object. Only the trees and files that differ are read
 * (see changedPaths), so the cost follows the number of changes, not the size of the repository.
 */
export async function diffRevisions(options: RevisionDiffOptions): Promise<ChangeSet> {
  const { repository } = options;
  const to = await resolveSide(repository, options.to ?? 'HEAD');
  const from: DiffSide = options.from === null ? { label: '(empty)' } : await resolveSide(repository, options.from ?? 'HEAD~1');
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
