import picomatch from 'picomatch';
import type { ObjectIdentity } from '../layout/index.ts';
import { identityInSelectedNamespaces, resolveSelection, type SelectionOptions } from '../selection/index.ts';
import { spellingMatchesKind } from '../selection/offline-kinds.ts';
import type { ObjectChange } from './types.ts';

/** What part of the diff to show: kubectl-style selection (as snapshot takes it) and path globs. */
export interface DiffFilter {
  selection?: SelectionOptions;
  /** picomatch globs on the repository path (`shop/**`, `_cluster/**`). */
  paths?: string[];
}

export interface ObjectFilter {
  /** Decided from the path alone, before any file is read. */
  acceptsPath(path: string, identity: ObjectIdentity): boolean;
  /** Decided from the objects (kind spellings need the `kind` field, label selectors the labels). */
  acceptsObject(change: ObjectChange): boolean;
}

/** The globs on their own: the live read already applied the selection. */
export function pathGlobMatcher(paths: readonly string[] | undefined): (path: string) => boolean {
  if (!paths?.length) return () => true;
  const isMatch = picomatch([...paths], { dot: true });
  return (path) => isMatch(path);
}

/** The whole filter applied to files of the repository, with no API server to resolve kinds against. */
export function offlineObjectFilter(filter: DiffFilter): ObjectFilter {
  const options = filter.selection ?? {};
  const selection = resolveSelection([], {
    namespaces: options.namespaces,
    excludeNamespaces: options.excludeNamespaces,
    labelSelector: options.labelSelector,
  });
  const pathMatches = pathGlobMatcher(filter.paths);
  const clusterScoped = !options.namespaces?.length;
  const kindMatches = (change: ObjectChange, spellings: string[]) =>
    spellings.some((spelling) => spellingMatchesKind(spelling, change));
  const labelsOf = (object: Record<string, unknown> | undefined) =>
    (object?.metadata as { labels?: Record<string, string> } | undefined)?.labels;
  return {
    acceptsPath(path, identity) {
      return pathMatches(path) && identityInSelectedNamespaces(identity, selection, clusterScoped);
    },
    acceptsObject(change) {
      if (options.include?.length && !kindMatches(change, options.include)) return false;
      if (options.exclude?.length && kindMatches(change, options.exclude)) return false;
      if (
        selection.labelSelector &&
        !selection.labelSelector.matches(labelsOf(change.before)) &&
        !selection.labelSelector.matches(labelsOf(change.after))
      )
        return false;
      return true;
    },
  };
}
