/**
 * lib/diff — what changed between two revisions of a snapshot repository, or between a revision and the
 * live cluster, returned as data (a ChangeSet) and rendered by pure functions.
 *
 *   await diffRevisions({ repository, from?, to?, filter?, prefix?, showSecrets? })   → ChangeSet
 *   await diffLive({ client, repository, revision?, filter?, normalize?, prefix?, showSecrets?, ageIdentities?, sealer? }) → LiveChangeSet
 *   renderText(changeSet, { color?, stat? }), renderMarkdown(changeSet), renderJson(changeSet), renderHtml(changeSet) → string
 */
export type { ChangeSet, ChangeType, DiffSide, ObjectChange, SummaryRow } from './types.ts';
export { diffRevisions, type RevisionDiffOptions } from './revisions.ts';
export { diffLive, type LiveChangeSet, type LiveDiffOptions } from './live.ts';
export { objectChange } from './object-change.ts';
export { readShownManifest } from './shown-manifest.ts';
export { type DiffFilter } from './filter.ts';
export { countChanges, kindLabel, objectName, summarize, summaryLine } from './summary.ts';
export { unifiedDiff } from './unified-diff.ts';
export { renderText, type TextOptions } from './render-text.ts';
export { renderMarkdown } from './render-markdown.ts';
export { renderJson } from './render-json.ts';
export { changeSetStylesheet, fileAnchor, renderChangeSetBody, renderHtml } from './render-html.ts';
