export { snapshotCommitMessage, changeSummary, type PathChange, type ClusterIdentity } from './commit-message.ts';
export { repositoryReadme, folderCounts, README_PATH } from './repository-readme.ts';
export { labelDigestKeyChange, DIGEST_KEY_CHANGED_SUBJECT } from './digest-key-change.ts';
export { HistoryWriter } from './writer.ts';
