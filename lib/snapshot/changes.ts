import type { PathChange } from '../history/index.ts';
import { parseObject, parseObjectPath, type ObjectIdentity } from '../layout/index.ts';
import type { FileChange } from '../store/index.ts';
import type { Selection } from '../selection/index.ts';
import type { ClusterState } from './collect.ts';

export interface PlannedChanges {
  files: FileChange[];
  changes: PathChange[];
}

/**
 * Compares a fresh read of the cluster with the files of the last commit. A file that is not in the
 * read is a deletion only where the read was complete: its kind and namespace were listed (or its
 * kind is no longer served at all), and, with -l, the old object matched the selector.
 */
export async function planChanges(
  state: ClusterState,
  headFiles: ReadonlyMap<string, string>,
  selection: Selection,
  options: {
    prefix?: string;
    readOld: (path: string) => Promise<Buffer | undefined>;
  },
): Promise<PlannedChanges> {
  const files: FileChange[] = [];
  const changes: PathChange[] = [];
  for (const [path, file] of state.files) {
    const previous = headFiles.get(path);
    if (previous === file.blob.id) continue;
    files.push({ path, content: file.bytes, blob: file.blob });
    changes.push({ path, type: previous ? 'updated' : 'created', namespace: file.namespace });
  }
  for (const path of headFiles.keys()) {
    if (state.files.has(path)) continue;
    const identity = parseObjectPath(path, options.prefix);
    if (!identity || !inCompleteScope(identity, state, selection)) continue;
    if (selection.labelSelector && !(await oldObjectMatches(path, selection, options.readOld))) continue;
    files.push({ path, content: null });
    changes.push({ path, type: 'deleted', namespace: identity.namespace });
  }
  return { files, changes };
}

function inCompleteScope(identity: ObjectIdentity, state: ClusterState, selection: Selection): boolean {
  const name = identity.group ? `${identity.resource}.${identity.group}` : identity.resource;
  // A Namespace object belongs to the namespace it names, for -n and --exclude-namespace.
  const namespace = name === 'namespaces' ? identity.name : identity.namespace;
  const covered = state.scope.listed.get(name);
  if (covered) return covered.has(namespace ?? '*') || (covered.has('*') && selection.namespaceSelected(namespace));
  const kindGone =
    !state.scope.served.has(name) && !selection.kindsRestricted && !state.scope.failedGroups.has(identity.group);
  const namespaceCovered =
    namespace === undefined ? !selection.options.namespaces?.length : selection.namespaceSelected(namespace);
  return kindGone && namespaceCovered;
}

async function oldObjectMatches(
  path: string,
  selection: Selection,
  readOld: (path: string) => Promise<Buffer | undefined>,
): Promise<boolean> {
  const bytes = await readOld(path);
  if (!bytes) return false;
  const object = parseObject(bytes, path) as { metadata?: { labels?: Record<string, string> } };
  return selection.labelSelector!.matches(object.metadata?.labels);
}
