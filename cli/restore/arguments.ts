// What `kubesnap restore` is asked to put back: the revision (`REV`, `REV:PATH` or --at) and which of its files
// (`REV:PATH`, KIND/NAME arguments, or --path globs).
import { UsageError } from '../../lib/errors/index.ts';
import type { SelectionOptions } from '../../lib/selection/index.ts';
import type { RevisionSpec, SnapshotRepository } from '../../lib/store/index.ts';
import { splitRevisionPath } from '../../lib/store/revision-syntax.ts';
import { parseKindName } from '../object-arguments.ts';
import { parseTime } from '../options/values.ts';
import { pathspecGlobs } from '../pathspecs.ts';

/** kubectl's resource arguments: `deploy/web svc/api`, or `deploy web api`. */
function parseResourceArguments(args: readonly string[]): Array<{ kind: string; name: string }> {
  const named = args.map(parseKindName);
  if (named.every((spec) => spec !== undefined)) return named as Array<{ kind: string; name: string }>;
  if (args.length > 1 && !args.some((arg) => arg.includes('/')))
    return args.slice(1).map((name) => ({ kind: args[0], name }));
  throw new UsageError(
    `"${args.join(' ')}" is not a list of objects as kubectl takes them (deploy/web svc/api, or deploy web api).`,
  );
}

export interface RestoreArguments {
  revision: RevisionSpec;
  /** From `REV:PATH`: the file or folder to restore. */
  pathspec?: string;
  resources: Array<{ kind: string; name: string }>;
}

/** `[REV | REV:PATH] [KIND/NAME...]`; a first argument that is no revision but an object is the first object (of HEAD). */
export async function restoreArguments(
  repository: SnapshotRepository,
  args: string[],
  at: string | undefined,
): Promise<RestoreArguments> {
  if (at !== undefined) {
    if (args.length > 0 && (splitRevisionPath(args[0])[1] !== undefined || !parseKindName(args[0])))
      throw new UsageError('give a revision or --at, not both.');
    return { revision: { at: parseTime(at, '--at') }, resources: parseResourceArguments(args) };
  }
  if (args.length === 0) return { revision: 'HEAD', resources: [] };
  const [first, ...rest] = args;
  const [revision, pathspec] = splitRevisionPath(first);
  if (pathspec !== undefined) return { revision, pathspec, resources: rest.length ? parseResourceArguments(rest) : [] };
  try {
    await repository.resolve(first);
  } catch (error) {
    if (parseKindName(first)) return { revision: 'HEAD', resources: parseResourceArguments(args) };
    throw error;
  }
  return { revision: first, resources: rest.length ? parseResourceArguments(rest) : [] };
}

/** The files restored: `REV:PATH`, the named objects, or --path globs (one of these ways). */
export async function restoredPaths(
  repository: SnapshotRepository,
  target: RestoreArguments,
  globs: string[] | undefined,
  selection: SelectionOptions,
  prefix: string | undefined,
): Promise<string[] | undefined> {
  if ([target.pathspec !== undefined, target.resources.length > 0, Boolean(globs?.length)].filter(Boolean).length > 1) {
    throw new UsageError('choose the files to restore one way: REV:PATH, KIND/NAME arguments, or --path.');
  }
  if (target.pathspec !== undefined) return pathspecGlobs([target.pathspec]);
  if (target.resources.length === 0) return globs;
  const { resolveRevisionSpec } = await import('../../lib/store/index.ts');
  const { namespaceMatcher } = await import('../../lib/selection/index.ts');
  const { objectPathsNamed } = await import('../../lib/history/object-lookup.ts');
  const { commit, label } = await resolveRevisionSpec(repository, target.revision);
  const selected = namespaceMatcher(selection);
  const paths: string[] = [];
  for (const resource of target.resources) {
    const found = await objectPathsNamed(repository, commit, resource, selected, prefix);
    if (found.length === 0)
      throw new UsageError(
        `${resource.kind}/${resource.name} matches nothing in ${label}${selection.namespaces?.length ? ` (-n ${selection.namespaces.join(',')})` : ''}, so there is nothing to restore.`,
      );
    paths.push(...found.map(literalGlob));
  }
  return paths;
}

/** A path as a glob that matches only itself. */
function literalGlob(path: string): string {
  return path.replace(/[*?[\]{}()!+@\\]/g, '\\$&');
}
