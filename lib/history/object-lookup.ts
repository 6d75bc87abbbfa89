// Which file of a snapshot repository holds an object named as kubectl names it (`deploy/web`): the KIND/NAME
// arguments of restore and log.
import { UsageError } from '../errors/index.ts';
import { objectPath, parseObject, parseObjectPath } from '../layout/index.ts';
import { namedNamespaces, namespaceMatcher } from '../selection/namespaces.ts';
import { builtinKindFor, spellingMatchesKind } from '../selection/offline-kinds.ts';
import type { SnapshotRepository } from '../store/index.ts';

/** An object as a kubectl resource argument names it: the kind as kubectl spells it (`deploy`, `deployments.apps`) and its name. */
export interface KindName {
  kind: string;
  name: string;
}

type RepositoryReader = Pick<SnapshotRepository, 'readFiles' | 'readBlob' | 'log'>;

/**
 * The files of a revision (default: the branch head) holding an object of that kind and name, in a selected
 * namespace (cluster-scoped objects always are, as kubectl's -n does not apply to them). Only the files whose
 * path has that name are read.
 */
export async function objectPathsNamed(
  repository: RepositoryReader,
  revision: string | undefined,
  spec: KindName,
  namespaceSelected: (namespace: string) => boolean,
  prefix: string | undefined,
): Promise<string[]> {
  const paths: string[] = [];
  for (const [path, blob] of await repository.readFiles(revision)) {
    const identity = parseObjectPath(path, prefix);
    if (!identity || identity.name !== spec.name) continue;
    if (identity.namespace !== undefined && !namespaceSelected(identity.namespace)) continue;
    const kind = (parseObject((await repository.readBlob(blob)).toString('utf8')) as { kind?: unknown }).kind;
    if (spellingMatchesKind(spec.kind, { ...identity, kind: typeof kind === 'string' ? kind : undefined }))
      paths.push(path);
  }
  return paths;
}

/**
 * The file whose history `log KIND/NAME` shows: the one object at the branch head of that kind and name in the
 * namespaces -n selects (several, as long as one object matches), else, for a built-in kind, the file where such
 * an object once lived.
 */
export async function objectHistoryPath(
  repository: RepositoryReader,
  object: KindName,
  namespaces: string[],
  prefix: string | undefined,
): Promise<string> {
  const spec = `${object.kind}/${object.name}`;
  const candidates = await objectPathsNamed(repository, undefined, object, namespaceMatcher({ namespaces }), prefix);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1)
    throw new UsageError(
      `"${spec}" names ${candidates.length} objects (${candidates.join(', ')}); choose one with -n or give its path.`,
    );
  // Not at HEAD (perhaps deleted): a built-in kind still tells where it lived.
  const builtin = builtinKindFor(object.kind);
  if (!builtin) throw new UsageError(`No object "${spec}" is in the repository; give its path instead.`);
  const paths = [objectPath({ ...builtin, name: object.name }, prefix)];
  paths.unshift(
    ...(namedNamespaces({ namespaces }) ?? []).map((namespace) =>
      objectPath({ ...builtin, namespace, name: object.name }, prefix),
    ),
  );
  for (const path of paths) if ((await repository.log({ path, limit: 1 })).length) return path;
  const where = namespaces.length ? ` in namespace ${namespaces.join(', ')}` : '';
  throw new UsageError(`No object "${spec}"${where} was ever in the repository.`);
}
