/**
 * lib/serve — `kubesnap serve`: a read-only web site of a snapshot repository's history. Server-rendered pages
 * (timeline with filters and an activity picture, commit, compare, object history, drift, restore preview) built
 * from lib/diff's renderers and restore's plan; nothing is ever written to the repository or the cluster.
 *
 *   const server = await startServer({ listen: parseListen('127.0.0.1:8080'), token?: new AccessToken(t),
 *                                      pages: servePages(repository, { cluster?: liveClusterView(...), prefix? }) })
 *   server.url; await server.close()
 */
import { CommitChangeCounter } from './commit-changes.ts';
import type { ClusterView } from './cluster-view.ts';
import type { PageContext } from './pages.ts';
import type { ReadOnlyRepository } from './repository.ts';
import { Views } from './views.ts';

export { AccessToken } from './access-token.ts';
export { liveClusterView, type ClusterView } from './cluster-view.ts';
export { parseListen } from './listen.ts';
export type { ReadOnlyRepository } from './repository.ts';
export { startServer, type RunningServer } from './server.ts';

export function servePages(
  repository: ReadOnlyRepository,
  options: { cluster?: ClusterView; prefix?: string } = {},
): PageContext {
  return { repository, counter: new CommitChangeCounter(repository, options.prefix), views: new Views(), ...options };
}
