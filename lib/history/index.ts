export {
  snapshotCommitMessage,
  changeSummary,
  countChanges,
  type PathChange,
  type ChangeType,
  type ClusterIdentity,
} from './commit-message.ts';
export {
  repositoryReadme,
  folderCounts,
  README_PATH,
  type ReadmeFacts,
  type FolderContent,
} from './repository-readme.ts';
export { labelDigestKeyChange, DIGEST_KEY_CHANGED_SUBJECT } from './digest-key-change.ts';
export { renderTemplate } from './template.ts';
export { lastWriter, type Attribution } from './attribution.ts';
export { watchCommitMessage, type ObjectChange } from './watch-message.ts';
export { HistoryWriter, type HistoryWriterOptions } from './writer.ts';
export { changedBy } from './changed-by.ts';
