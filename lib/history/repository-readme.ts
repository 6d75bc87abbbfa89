import { parseObjectPath } from '../layout/index.ts';
import { skipReasons, type NormalizeOptions, type SkipReason } from '../normalize/index.ts';
import { digestKeyId } from '../secrets/digest-key.ts';
import { renderTemplate } from './template.ts';
import type { ClusterIdentity } from './commit-message.ts';

export const README_PATH = 'README.md';

export interface ReadmeFacts {
  cluster: ClusterIdentity;
  /** What the tree holds, folder by folder (folderCounts). */
  folders: Iterable<FolderContent>;
  normalize?: NormalizeOptions;
  /** `deployments.apps (403 Forbidden)` style lines for what could not be read. */
  unreadable?: string[];
}

/** One folder of the tree: the objects of one kind in one namespace (or cluster-scoped). */
export interface FolderContent {
  /** `deployments.apps`, `configmaps`. */
  kind: string;
  namespace?: string;
  objects: number;
}

const secretsText: Record<NonNullable<NormalizeOptions['secrets']>, string> = {
  redact:
    'values replaced by keyed digests (HMAC-SHA256, {{keyId}}): drift is visible, and only holders of the key, which is never committed, can test a guessed value',
  skip: 'not stored',
  plain: 'stored in plain text (asked for with --secrets plain)',
  encrypt: 'values encrypted with age (restore decrypts them with --age-identity)',
};

/**
 * The generated README.md at the root of a snapshot repository (snapshot and watch write the same one). It says only
 * what changes seldom (kinds, namespaces, how to restore), never a time or a count, so a commit touches it only when
 * what it says changed.
 */
export function repositoryReadme(facts: ReadmeFacts): string {
  const list = (lines: string[]) => (lines.length ? lines.map((line) => `- ${line}`).join('\n') : '- (nothing)');
  const secrets = facts.normalize?.secrets ?? 'redact';
  const kinds = new Set<string>();
  const namespaces = new Set<string>();
  for (const folder of facts.folders) {
    if (folder.objects <= 0) continue;
    kinds.add(folder.kind);
    if (folder.namespace !== undefined) namespaces.add(folder.namespace);
  }
  const sorted = (names: Set<string>) => [...names].sort((a, b) => a.localeCompare(b));
  const skipped = (Object.entries(skipReasons) as Array<[SkipReason, { description: string; includeFlag: string }]>)
    .filter(([reason]) => reason !== 'secrets' && !facts.normalize?.include?.has(reason))
    .map(([, { description, includeFlag }]) => `${description} (keep with ${includeFlag})`);
  return renderTemplate('repository-readme.md', {
    server: facts.cluster.server,
    context: facts.cluster.context,
    secrets: secretsText[secrets].replace('{{keyId}}', digestKeyNote(facts.normalize?.digestKey)),
    included: list(sorted(kinds)),
    namespaces: list(sorted(namespaces)),
    skipped: list([...skipped, ...(facts.unreadable ?? []).map((line) => `could not be read: ${line}`)]),
    secretsNote:
      secrets === 'redact'
        ? '\nRedacted Secret values cannot be restored from here; restore them from your secret store.\n'
        : '',
  });
}

/** The key's id as `digest key id <16 hex>`, the form digestKeyChange (digest-key-change.ts) reads back. */
function digestKeyNote(key: Uint8Array | undefined): string {
  return key ? `digest key id ${digestKeyId(key)}` : 'no digest key';
}

/**
 * What each folder of a tree's paths holds, keyed by the folder's path. A folder's files share one parse (the first
 * file's): a 100,000-object tree has a few thousand folders, and decoding every file name would cost more than the commit.
 */
export function folderCounts(paths: Iterable<string>, prefix?: string): Map<string, FolderContent> {
  const counts = new Map<string, FolderContent>();
  for (const path of paths) countObject(counts, path, 1, prefix);
  return counts;
}

/**
 * Adds `delta` (1 created, -1 deleted) to the folder of `path`; files that are not objects are not counted. The
 * folder's entry is replaced, not changed, so a copy of the map (a commit not yet written) leaves the original alone.
 */
export function countObject(counts: Map<string, FolderContent>, path: string, delta: number, prefix?: string): void {
  if (!path.endsWith('.yaml')) return;
  const folderPath = path.slice(0, path.lastIndexOf('/') + 1);
  const folder = counts.get(folderPath) ?? newFolder(path, prefix);
  if (folder) counts.set(folderPath, { ...folder, objects: folder.objects + delta });
}

function newFolder(path: string, prefix: string | undefined): FolderContent | undefined {
  const identity = parseObjectPath(path, prefix);
  if (!identity) return undefined;
  return {
    kind: identity.group ? `${identity.resource}.${identity.group}` : identity.resource,
    namespace: identity.namespace,
    objects: 0,
  };
}
