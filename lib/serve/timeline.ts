import { changedBy } from '../history/changed-by.ts';
import { parseApproxidate, type LogEntry } from '../store/index.ts';
import type { CommitChangeCounter, CommitChanges } from './commit-changes.ts';
import { PageNotFound } from './not-found.ts';
import type { ReadOnlyRepository } from './repository.ts';

export const PAGE_SIZE = 50;
/** How much further each walk goes than the last when message filters leave the page short (see newestMatches). */
const WALK_GROWTH = 4;

/** The timeline's filters, as URL query parameters: `ns`, `kind` (a folder: `deployments.apps`), `manager`, `q`, `since`, `until`, and `before` or `from` (paging); `stack` (namespace or kind) is how the activity picture stacks. */
export interface TimelineFilter {
  stack: 'namespace' | 'kind';
  namespace?: string;
  kind?: string;
  manager?: string;
  text?: string;
  /** Seconds since the epoch. */
  since?: number;
  until?: number;
  /** Show the commits after this one in the walk: the next page, when the walk had only its parents still to go to. */
  before?: string;
  /** Show these commits and those after them in the walk: the next page, when the walk had more still to go to (a merge's other side). */
  from?: string[];
}

/** Where the next page starts, as the query parameter that says so. */
export type PageCursor = { before: string } | { from: string };

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
  /** Where the next page starts, when there are older matches. */
  next?: PageCursor;
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
    from: text('from')?.split(',').filter(Boolean),
  };
}

/** The filter as query parameters, without paging, with `changes` applied: the links of bars, pages and forms. */
export function timelineQuery(
  filter: TimelineFilter,
  changes: Partial<
    Record<'ns' | 'kind' | 'manager' | 'q' | 'since' | 'until' | 'before' | 'from', string | number | undefined>
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
 * stops once it has the page; the next page goes on from the commits the walk had still to go to (its frontier), so
 * after a merge it goes on down both sides, in the order one long walk would have shown them. Namespace and kind
 * narrow the walk by path, as `git log -- <folder>` does; manager, text and time are checked on each message.
 */
export async function readTimeline(
  repository: ReadOnlyRepository,
  counter: CommitChangeCounter,
  filter: TimelineFilter,
  prefix = '',
): Promise<Timeline> {
  const paths = await filterPaths(repository, filter, prefix);
  if (paths?.length === 0) return { commits: [] };
  const page = await newestMatches(repository, { from: await walkStart(repository, filter), paths }, filter, PAGE_SIZE);
  const commits = await Promise.all(page.matched.map(async (entry) => timelineCommit(entry, await counter.of(entry))));
  const older =
    page.queued.length > 0 &&
    (await newestMatches(repository, { from: page.queued, paths }, filter, 1)).matched.length > 0;
  return { commits, next: older ? pageCursor(page.matched[page.matched.length - 1], page.queued) : undefined };
}

/** The commits the page's walk starts from; undefined: HEAD. */
async function walkStart(repository: ReadOnlyRepository, filter: TimelineFilter): Promise<string[] | undefined> {
  if (filter.from) return Promise.all(filter.from.map((commit) => repository.resolve(commit)));
  if (filter.before === undefined) return undefined;
  const [last] = await repository.log({ ref: filter.before, limit: 1 });
  return last.parents;
}

/** `before=<last commit shown>` when the walk had only its parents to go to (all of a linear history), else `from=`. */
function pageCursor(last: LogEntry, queued: string[]): PageCursor {
  const onlyParents = queued.length === last.parents.length && queued.every((commit) => last.parents.includes(commit));
  return onlyParents ? { before: last.commit } : { from: queued.join(',') };
}

/**
 * The first `count` commits from `walk.from` (or HEAD) that the filter matches, and the commits the walk had still to
 * go to after the last of them (none when it ended). The store's log stops after `limit` commits of its paths;
 * without message filters each of them matches, so one walk is enough. With them, a walk that came back short is made
 * again WALK_GROWTH times longer (the commits read before are remembered by the store, so walking them again reads
 * nothing), until enough match, the history ends, or it went back past `since`.
 */
async function newestMatches(
  repository: ReadOnlyRepository,
  walk: { from?: string[]; paths?: string[] },
  filter: TimelineFilter,
  count: number,
): Promise<{ matched: LogEntry[]; queued: string[] }> {
  for (let limit = count; ; limit *= WALK_GROWTH) {
    const queued: string[] = [];
    const entries = await repository.log({ ...walk, limit, queued });
    const matched = entries.filter((entry) => matches(entry, filter)).slice(0, count);
    const oldest = entries[entries.length - 1];
    if (matched.length === count) {
      const last = matched[count - 1];
      if (last === oldest) return { matched, queued };
      // The walk went past the last match: walk again up to it, to know where the next page goes on.
      const queuedAtLast: string[] = [];
      await repository.log({ ...walk, limit: entries.indexOf(last) + 1, queued: queuedAtLast });
      return { matched, queued: queuedAtLast };
    }
    const pastSince = filter.since !== undefined && oldest !== undefined && oldest.committer.timestamp < filter.since;
    if (queued.length === 0 || pastSince) return { matched, queued: [] };
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
  // The namespace folders at HEAD (and `_cluster`): one tree read, not a listing of every file.
  const namespaces =
    filter.namespace !== undefined ? [filter.namespace] : await repository.readFolderNames(inPrefix(''));
  return namespaces.map((namespace) => inPrefix(`${namespace}/${filter.kind}`));
}
