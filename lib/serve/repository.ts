import type { SnapshotRepository } from '../store/index.ts';

/**
 * What serve needs of a repository: reading only. The store's SnapshotRepository satisfies it; serve never holds
 * the repository lock and never writes, so it runs beside a watch on the same folder.
 */
export type ReadOnlyRepository = Pick<
  SnapshotRepository,
  | 'gitdir'
  | 'head'
  | 'resolve'
  | 'mergeBase'
  | 'isAncestor'
  | 'log'
  | 'readFile'
  | 'readFiles'
  | 'readFolderNames'
  | 'readBlob'
  | 'commitAt'
  | 'changedPaths'
>;
