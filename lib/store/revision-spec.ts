import { RepositoryError } from '../errors/index.ts';
import type { SnapshotRepository } from './snapshot-repository.ts';

/** A revision as git spells it (`HEAD~3`, a tag, `main@{2026-11-20 10:00}`), or the last commit at or before a time. */
export type RevisionSpec = string | { at: Date };

/** A revision as the user gave it and the commit it resolved to. */
export interface NamedRevision {
  label: string;
  commit: string;
}

/** A revision or a time → the commit it names, with how the user spelled it. */
export async function resolveRevisionSpec(
  repository: Pick<SnapshotRepository, 'resolve' | 'commitAt'>,
  spec: RevisionSpec,
): Promise<NamedRevision> {
  if (typeof spec === 'string') return { label: spec, commit: await repository.resolve(spec) };
  const commit = await repository.commitAt(spec.at);
  const label = spec.at.toISOString().replace(/\.000Z$/, 'Z');
  if (!commit) throw new RepositoryError(`There is no commit at or before ${label}.`);
  return { label: `@${label}`, commit };
}
