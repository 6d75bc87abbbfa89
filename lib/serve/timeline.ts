import { changedBy } from '../history/changed-by.ts';
import { parseApproxidate, type LogEntry } from '../store/index.ts';
import type { CommitChangeCounter, CommitChanges } from './commit-changes.ts';
import { PageNotFound } from './not-found.ts';
import type { ReadOnlyRepository } from './repository.ts';

export const PAGE_SIZE = 50;
/** How much further each walk goes than the last when message filters leave the page short (see newestMatches). */
const WALK_GROWTH = 4;

/** The timeline's filters, as URL query parameters: `ns`, `kind` (a folder: `deployments.apps`), `manager`, `q`, `since`, `until`, and `before` (paging); `stack` (namespace or kind) is how the activity picture stacks. */
export interface TimelineFilter {
  stack: 'namespace' | 'kind';
  namespace?: string;
  kind?: string;
  manager?: string;
  text?: string;
  /** Seconds since the epoch. */
  since?: number;
  until?: number;
  /** Show commits older than this one: the next page. */
  before?: string;
}

export interface TimelineCommit {
  entry: LogEntry;
  subject: string;
  /** The body lines naming changes, managers and times, as the commit wrote them. */
  body: string[];
  manager?: string;
  changes: CommitChanges;
}

export interface Timeline {
  commits: TimelineCommit[];
  /** The commit to page on from, when there are older matches. */
  next?: string;
}

export function timelineFilter(query: URLSearchParams): TimelineFilter {
  const text = (name: string) => query.get(name)?.trim() || undefined;
  const time = (name: string) => {
    const value = text(name);
    if (value === undefined) return undefined;
    const seconds = /^\d+$/.test(value) ? Number(value) : parseApproxidate(value);
    if (seconds === undefined)
      throw new PageNotFound(`"${value}" is not a time (${name}=2026-11-20T10:00Z, 3 hours ago).`);
    return seconds;
  };
  return {
    stack: query.get('stack') === 'kind' ? 'kind' : 'namespace',
    namespace: text('ns'),
    kind: text('kind'),
    manager: text('manager'),
    text: text('q'),
    since: time('since'),
    until: time('until'),
    before: text('before'),
  };
}

/** The filter as query parameters, without paging, with `changes` applied: the links of bars, pages and forms. */
export function timelineQuery(
  filter: TimelineFilter,
  changes: Partial<
    Record<'ns' | 'kind' | 'manager' | 'q' | 'since' | 'until' | 'before', string | number | undefined>
  > = {},
): string {
  const values: Record<string, string | number | undefined> = {
    stack: filter.stack === 'kind' ? 'kind' : undefined,
    ns: filter.namespace,
    kind: filter.kind,
    manager: filter.manager,
    q: filter.text,
    since: filter.since,
    until: filter.until,
    ...changes,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values))
    if (value !== undefined && value !== '') query.set(name, String(value));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/**
 * One page of the commits the filter matches, newest first, with their change counts. Like `git log -n`, the walk
 * stops once it has the page and one more match (so it knows there is an older page); the next page walks on from
 * the last commit shown (`before`). Namespace and kind narrow the walk by path, as `git log -- <folder>` does;
 * manager, text and time are checked on each message.
 */
export async function readTimeline(
  repository: ReadOnlyRepository,
  counter: CommitChangeCounter,
  filter: TimelineFilter,
  prefix = '',
): Promise<Timeline> {
  const paths = await filterPaths(repository, filter, prefix);
  if (paths?.length === 0) return { commits: [] };
  const ref = filter.before ? await repository.resolve(filter.before) : undefined;
  const matched = await newestMatches(repository, { ref, paths }, filter, PAGE_SIZE + 1);
  const page = matched.slice(0, PAGE_SIZE);
  const commits = await Promise.all(page.map(async (entry) => timelineCommit(entry, await counter.of(entry))));
  return { commits, next: matched.length > PAGE_SIZE ? page[page.length - 1].commit : undefined };
}

/**
 * The first `count` commits older than `walk.ref` (or from HEAD) that the filter matches. The store's log stops after
 * `limit` commits of its paths; without message filters each of them matches, so one walk is enough. With them, a
 * walk that came back short is made again WALK_GROWTH times longer (the commits read before are remembered by the
 * store, so walking them again reads nothing), until enough match, the history ends, or it went back past `since`.
 */
async function newestMatches(
  repository: ReadOnlyRepository,
  walk: { ref?: string; paths?: string[] },
  filter: TimelineFilter,
  count: number,
): Promise<LogEntry[]> {
  // The log starts at `ref` itself: the last commit of the page before.
  const skipped = walk.ref === undefined ? 0 : 1;
  for (let limit = count; ; limit *= WALK_GROWTH) {
    const entries = await repository.log({ ...walk, limit: limit + skipped });
    const older = entries.filter((entry) => entry.commit !== walk.ref);
    const matched = older.filter((entry) => matches(entry, filter));
    const oldest = older[older.length - 1];
    const walkEnded =
      entries.length < limit + skipped ||
      (filter.since !== undefined && oldest !== undefined && oldest.committer.timestamp < filter.since);
    if (matched.length >= count || walkEnded) return matched.slice(0, count);
  }
}

function timelineCommit(entry: LogEntry, changes: CommitChanges): TimelineCommit {
  const [subject, ...rest] = entry.message.trimEnd().split('\n');
  const body = rest.filter((line) => line.trim() !== '' && !/^Kubesnap-[\w-]+:/.test(line));
  return { entry, subject, body: body.slice(0, 20), manager: changedBy(entry.message), changes };
}

function matches(entry: LogEntry, filter: TimelineFilter): boolean {
  const time = entry.committer.timestamp;
  if (filter.since !== undefined && time < filter.since) return false;
  if (filter.until !== undefined && time >= filter.until) return false;
  if (filter.text !== undefined && !entry.message.toLowerCase().includes(filter.text.toLowerCase())) return false;
  if (
    filter.manager !== undefined &&
    !(changedBy(entry.message) ?? entry.author.name).split(', ').includes(filter.manager)
  )
    return false;
  return true;
}

/** The folders a namespace and kind filter look in; undefined: everywhere; empty: nowhere. */
async function filterPaths(
  repository: ReadOnlyRepository,
  filter: TimelineFilter,
  prefix: string,
): Promise<string[] | undefined> {
  const inPrefix = (path: string) => [prefix.replace(/^\/+|\/+$/g, ''), path].filter(Boolean).join('/');
  if (filter.kind === undefined) return filter.namespace === undefined ? undefined : [inPrefix(filter.namespace)];
  const namespaces = filter.namespace !== undefined ? [filter.namespace] : await namespaceFolders(repository, prefix);
  return namespaces.map((namespace) => inPrefix(`${namespace}/${filter.kind}`));
}

const foldersByTree = new WeakMap<object, { head?: string; folders: string[] }>();

/** The top-level folders at HEAD (namespaces and `_cluster`), cached per head. */
async function namespaceFolders(repository: ReadOnlyRepository, prefix: string): Promise<string[]> {
  const head = await repository.head();
  const cached = foldersByTree.get(repository);
  if (cached && cached.head === head) return cached.folders;
  const skip = prefix.split('/').filter(Boolean).length;
  const folders = new Set<string>();
  for (const path of (await repository.readFiles()).keys()) {
    const segments = path.split('/');
    if (segments.length >= skip + 3) folders.add(segments[skip]);
  }
  const result = [...folders].sort();
  foldersByTree.set(repository, { head, folders: result });
  return result;
}
