import { parseObjectPath } from '../layout/index.ts';
import { skipReasons, type NormalizeOptions, type SkipReason } from '../normalize/index.ts';
import { digestKeyId } from '../secrets/digest-key.ts';
import { renderTemplate } from './template.ts';
import type { ClusterIdentity } from './commit-message.ts';

export const README_PATH = 'README.md';

export interface ReadmeFacts {
  cluster: ClusterIdentity;
  /** When the content last changed (a Date, shown to the second). */
  time: Date;
  /** Objects per folder (`deployments.apps` → 12). */
  folderCounts: ReadonlyMap<string, number>;
  normalize?: NormalizeOptions;
  /** `deployments.apps (403 Forbidden)` style lines for what could not be read. */
  unreadable?: string[];
}

const secretsText: Record<NonNullable<NormalizeOptions['secrets']>, string> = {
  redact: 'values replaced by keyed digests (HMAC-SHA256, {{keyId}}): drift is visible, and only holders of the key, which is never committed, can test a guessed value',
  skip: 'not stored',
  plain: 'stored in plain text (asked for with --secrets plain)',
  encrypt: 'values encrypted with age (restore decrypts them with --age-identity)',
};

/** The generated README.md at the root of a snapshot repository (snapshot and watch write the same one). */
export function repositoryReadme(facts: ReadmeFacts): string {
  const list = (lines: string[]) => (lines.length ? lines.map((line) => `- ${line}`).join('\n') : '- (nothing)');
  const secrets = facts.normalize?.secrets ?? 'redact';
  const included = [...facts.folderCounts].filter(([, n]) => n > 0).sort(([a], [b]) => a.localeCompare(b)).map(([folder, n]) => `${folder} (${n})`);
  const skipped = (Object.entries(skipReasons) as Array<[SkipReason, { description: string; includeFlag: string }]>)
    .filter(([reason]) => reason !== 'secrets' && !facts.normalize?.include?.has(reason))
    .map(([, { description, includeFlag }]) => `${description} (keep with ${includeFlag})`);
  return renderTemplate('repository-readme.md', {
    server: facts.cluster.server,
    context: facts.cluster.context,
    time: facts.time.toISOString().replace(/\.\d+Z$/, 'Z'),
    objectCount: [...facts.folderCounts.values()].reduce((a, b) => a + b, 0),
    secrets: secretsText[secrets].replace('{{keyId}}', digestKeyNote(facts.normalize?.digestKey)),
    included: list(included),
    skipped: list([...skipped, ...(facts.unreadable ?? []).map((line) => `could not be read: ${line}`)]),
    secretsNote: secrets === 'redact'
      ? '\nRedacted Secret values cannot be restored from here; restore them from your secret store.\n'
      : '',
  });
}

/** The key's id as `digest key id <16 hex>`, the form digestKeyChange (digest-key-change.ts) reads back. */
function digestKeyNote(key: Uint8Array | undefined): string {
  return key ? `digest key id ${digestKeyId(key)}` : 'no digest key';
}

/** The README without the line that changes every time, to decide whether anything but the time changed. */
export function readmeWithoutTime(text: string): string {
  return text.replace(/^\| last change \|.*$/m, '');
}

/** The kind folder (`deployments.apps`) of an object's path; undefined for files that are not objects. */
export function kindFolderOf(path: string, prefix?: string): string | undefined {
  const identity = parseObjectPath(path, prefix);
  if (!identity) return undefined;
  return identity.group ? `${identity.resource}.${identity.group}` : identity.resource;
}

/**
 * Object counts per kind folder of a tree's paths. A folder's files share one parse (the first file's): a
 * 100,000-object tree has a few thousand folders, and decoding every file name would cost more than the commit.
 */
export function folderCounts(paths: Iterable<string>, prefix?: string): Map<string, number> {
  const counts = new Map<string, number>();
  const kindOfFolder = new Map<string, string | undefined>();
  for (const path of paths) {
    if (!path.endsWith('.yaml')) continue;
    const folder = path.slice(0, path.lastIndexOf('/') + 1);
    if (!kindOfFolder.has(folder)) kindOfFolder.set(folder, kindFolderOf(path, prefix));
    const kind = kindOfFolder.get(folder);
    if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}
