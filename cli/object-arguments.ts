import type { SnapshotRepository } from '../lib/store/index.ts';

/** `deploy/web` → kind and name as kubectl reads a resource argument; undefined for anything else. */
export function parseKindName(spec: string): { kind: string; name: string } | undefined {
  const [kind, name, ...rest] = spec.split('/');
  return kind && name && rest.length === 0 ? { kind, name } : undefined;
}

/**
 * The files of a revision (default: the branch head) holding an object of that kind (as kubectl spells it) and name, in
 * a selected namespace (cluster-scoped objects always are, as kubectl's -n does not apply to them).
 */
export async function objectPathsNamed(
  repository: SnapshotRepository, revision: string | undefined, spec: { kind: string; name: string }, namespaceSelected: (namespace: string) => boolean, prefix: string | undefined,
): Promise<string[]> {
  const { parseObject, parseObjectPath } = await import('../lib/layout/index.ts');
  const { spellingMatchesKind } = await import('../lib/selection/offline-kinds.ts');
  const paths: string[] = [];
  for (const [path, blob] of await repository.readFiles(revision)) {
    const identity = parseObjectPath(path, prefix);
    if (!identity || identity.name !== spec.name) continue;
    if (identity.namespace !== undefined && !namespaceSelected(identity.namespace)) continue;
    const kind = (parseObject((await repository.readBlob(blob)).toString('utf8')) as { kind?: unknown }).kind;
    if (spellingMatchesKind(spec.kind, { ...identity, kind: typeof kind === 'string' ? kind : undefined })) paths.push(path);
  }
  return paths;
}
