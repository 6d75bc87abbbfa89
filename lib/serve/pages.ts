import { fileAnchor, objectChange, renderChangeSetBody, diffRevisions, type ChangeSet } from '../diff/index.ts';
import { changedBy } from '../history/changed-by.ts';
import { parseObjectPath } from '../layout/index.ts';
import { planCounts } from '../restore/index.ts';
import { parseRevisionRange } from '../store/index.ts';
import { activityPicture } from './activity.ts';
import type { ClusterView, RestoreScope } from './cluster-view.ts';
import type { CommitChangeCounter } from './commit-changes.ts';
import { PageNotFound } from './not-found.ts';
import { restoreCommand } from './restore-command.ts';
import type { ReadOnlyRepository } from './repository.ts';
import { readTimeline, timelineFilter, timelineQuery } from './timeline.ts';
import type { Views } from './views.ts';

export interface PageContext {
  repository: ReadOnlyRepository;
  counter: CommitChangeCounter;
  views: Views;
  cluster?: ClusterView;
  prefix?: string;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');

/** `shop/configmaps/a%3Cb.yaml` → a URL path whose segments are each encoded (the `%` of an encoded name included). */
export const objectHref = (path: string) => path.split('/').map(encodeURIComponent).join('/');

export async function timelinePage(context: PageContext, query: URLSearchParams): Promise<string> {
  const filter = timelineFilter(query);
  const timeline = await readTimeline(context.repository, context.counter, filter, context.prefix);
  // The picture draws the page's commits: a picture of all matches would have the first answer walk the whole history.
  const picture = await activityPicture(
    timeline.commits.map((commit) => commit.entry),
    context.counter,
    filter.stack,
  );
  return context.views.render('timeline', {
    filter,
    timeline,
    picture,
    iso,
    since: filter.since === undefined ? '' : iso(filter.since),
    until: filter.until === undefined ? '' : iso(filter.until),
    nextQuery: timelineQuery(filter, timeline.next),
    newestQuery: timelineQuery(filter),
    barLink: (bar: { since: number; until: number }) =>
      `/${timelineQuery(filter, { since: iso(bar.since), until: iso(bar.until) })}`,
  });
}

export async function commitPage(context: PageContext, revision: string): Promise<string> {
  const { repository } = context;
  const commit = await repository.resolve(revision);
  const [entry] = await repository.log({ ref: commit, limit: 1 });
  const changeSet = await diffRevisions({
    repository,
    from: entry.parents[0] ?? null,
    to: commit,
    prefix: context.prefix,
  });
  return changesPage(context, `Commit ${commit.slice(0, 7)}`, changeSet, entry);
}

/** `/compare/A...B` (from where A and B parted, as git diff reads it) or `/compare/A..B`. */
export async function comparePage(context: PageContext, range: string): Promise<string> {
  const parsed = parseRevisionRange(range);
  if (!parsed) throw new PageNotFound(`"${range}" is not a range: compare two revisions as A...B or A..B.`);
  const { repository } = context;
  const [from, to] = [await repository.resolve(parsed.from), await repository.resolve(parsed.to)];
  // B grown from A, the usual case, is found by walking back from B to A, not through the whole history.
  const base = !parsed.symmetric || repository.isAncestor(from, to) ? from : await repository.mergeBase(from, to);
  const changeSet = await diffRevisions({ repository, from: base, to, prefix: context.prefix });
  return changesPage(context, `Compare ${range}`, changeSet);
}

function changesPage(context: PageContext, title: string, changeSet: ChangeSet, entry?: { message: string }): string {
  return context.views.render('changes', {
    title,
    entry,
    objects: changeSet.objects,
    anchor: fileAnchor,
    objectHref,
    diffBody: renderChangeSetBody(changeSet),
  });
}

/** An object's history (as `log` shows it), one version's YAML (`?version=`), or a diff of two versions (`?from=&to=`). */
export async function objectPage(context: PageContext, path: string, query: URLSearchParams): Promise<string> {
  const { repository, prefix } = context;
  if (!parseObjectPath(path, prefix))
    throw new PageNotFound(`"${path}" is not the path of an object in the repository.`);
  const entries = await repository.log({ path });
  if (entries.length === 0) throw new PageNotFound(`No object was ever at ${path}.`);
  const versions = await Promise.all(
    entries.map(async (entry) => {
      const exists = (await repository.readFile(entry.commit, path)) !== undefined;
      const before = entry.parents[0] && (await repository.readFile(entry.parents[0], path)) !== undefined;
      const change = !exists ? 'deleted' : before ? 'changed' : 'created';
      return {
        commit: entry.commit,
        label: `${entry.commit.slice(0, 7)} ${iso(entry.committer.timestamp)}`,
        change,
        manager: changedBy(entry.message, { path, deleted: !exists }) ?? (exists ? entry.author.name : undefined),
      };
    }),
  );
  const known = (commit: string | null) => {
    if (commit !== null && !versions.some((version) => version.commit === commit))
      throw new PageNotFound(`${commit} is not a version of ${path}.`);
    return commit ?? undefined;
  };
  const version = known(query.get('version'));
  const from = known(query.get('from'));
  const to = known(query.get('to'));
  const data: Record<string, unknown> = {
    path,
    versions,
    from: from ?? versions[1]?.commit,
    to: to ?? versions[0].commit,
    objectHref,
  };
  if (version) {
    const bytes = await repository.readFile(version, path);
    data.version = version;
    data.yaml =
      bytes === undefined
        ? '(deleted in this commit)'
        : (objectChange(path, undefined, bytes, { prefix })?.afterYaml ?? '');
  }
  if (from && to) {
    const change = objectChange(path, await repository.readFile(from, path), await repository.readFile(to, path), {
      prefix,
    });
    data.diffBody = renderChangeSetBody({
      from: { label: from.slice(0, 7), commit: from },
      to: { label: to.slice(0, 7), commit: to },
      objects: change ? [change] : [],
    });
  }
  return context.views.render('object', data);
}

export async function driftPage(context: PageContext, query: URLSearchParams): Promise<string> {
  const revision = query.get('rev') || 'HEAD';
  const title = `Drift: ${revision} against the live cluster`;
  if (!context.cluster) return context.views.render('drift', { title, connected: false });
  await context.repository.resolve(revision);
  const changeSet = await context.cluster.drift(revision);
  return context.views.render('drift', {
    title,
    connected: true,
    revision,
    readAt: new Date().toISOString(),
    unreadable: changeSet.unreadable.map((resource) => JSON.stringify(resource)),
    diffBody: renderChangeSetBody(changeSet),
  });
}

export async function restorePage(context: PageContext, query: URLSearchParams): Promise<string> {
  const list = (name: string) =>
    (query.get(name) ?? '')
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean);
  const scope: RestoreScope = {
    revision: query.get('rev') || 'HEAD',
    namespaces: list('ns'),
    kinds: list('kind'),
    paths: list('path'),
  };
  const commit = await context.repository.resolve(scope.revision);
  const data: Record<string, unknown> = {
    scope,
    command: restoreCommand({ ...scope, revision: commit }, context.prefix),
    connected: Boolean(context.cluster),
    objectHref,
  };
  if (context.cluster) {
    const plan = await context.cluster.restorePlan(scope);
    data.counts = planCounts(plan);
    data.objects = plan.objects.map((object) => ({
      action: object.action,
      ref: object.ref,
      path: object.path,
      detail: object.reason ?? object.fields.map((field) => field.path).join(', '),
    }));
  }
  return context.views.render('restore', data);
}
