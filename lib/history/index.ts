export { snapshotCommitMessage, changeSummary, countChanges, type PathChange, type ChangeType, type ClusterIdentity } from './commit-message.ts';
export { repositoryReadme, readmeWithoutTime, README_PATH, type ReadmeFacts } from './repository-readme.ts';
export { renderTemplate } from './template.ts';
