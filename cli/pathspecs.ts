import { Command, type ParseOptionsResult } from 'commander';

function splitAtSeparator(args: string[]): [string[], string[] | undefined] {
  const separator = args.indexOf('--');
  return separator === -1 ? [args, undefined] : [args.slice(0, separator), args.slice(separator + 1)];
}

/**
 * The program hands `--` and what follows it to the command as they are: commander would drop the `--` and read
 * the paths after it as arguments, so `diff A -- shop/` could not tell a pathspec from a revision.
 */
export class ProgramKeepingPathspecs extends Command {
  override parseOptions(args: string[]): ParseOptionsResult {
    const [options, pathspecs] = splitAtSeparator(args);
    const parsed = super.parseOptions(options);
    return pathspecs === undefined
      ? parsed
      : { operands: parsed.operands, unknown: [...parsed.unknown, '--', ...pathspecs] };
  }
}

/** A command taking git's pathspecs after `--` (`diff HEAD~1 -- shop/`, `log -- payments/deployments.apps/`). */
export class CommandWithPathspecs extends Command {
  pathspecs: string[] = [];

  override parseOptions(args: string[]): ParseOptionsResult {
    const [options, pathspecs] = splitAtSeparator(args);
    if (pathspecs !== undefined) this.pathspecs = pathspecs;
    return super.parseOptions(options);
  }
}

/** As in git, a pathspec names a file or everything under a folder, and may hold glob characters (`*` `?`). */
export function pathspecGlobs(pathspecs: readonly string[]): string[] {
  return pathspecs.flatMap((pathspec) => {
    const path = pathspec.replace(/^(\.\/)+|\/+$/g, '');
    return path === '' || path === '.' ? ['**'] : [path, `${path}/**`];
  });
}
