import type { RestoreScope } from './cluster-view.ts';

/** The `kubesnap restore` command line of a preview's scope, each argument quoted for a POSIX shell. */
export function restoreCommand(scope: RestoreScope, prefix?: string): string {
  const args = ['kubesnap', 'restore', scope.revision];
  for (const namespace of scope.namespaces) args.push('-n', namespace);
  for (const kind of scope.kinds) args.push('--include', kind);
  for (const path of scope.paths) args.push('--path', path);
  if (prefix) args.push('--prefix', prefix);
  return args.map(shellQuote).join(' ');
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./~^-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
