import type { Command } from 'commander';
import { UsageError } from '../../lib/errors/index.ts';
import type { SelectionOptions } from '../../lib/selection/index.ts';
import { collectList } from './values.ts';

/** kubectl-style filters shared by snapshot, watch, diff and restore. */
export function addSelectionOptions(command: Command): Command {
  return command
    .option(
      '-n, --namespace <names>',
      "only these namespaces: names or globs, comma-separated or repeated (-n shop,payments -n 'team-*')",
      collectList,
    )
    .option('-A, --all-namespaces', 'every namespace (the default)')
    .option(
      '--exclude-namespace <globs>',
      'leave out namespaces matching these globs, comma-separated or repeated',
      collectList,
    )
    .option(
      '--include <kinds>',
      'only these kinds, as kubectl spells them: deploy, deployments.apps, Deployment (repeatable)',
      collectList,
    )
    .option('--exclude <kinds>', 'leave out these kinds (repeatable)', collectList)
    .option('-l, --selector <selector>', 'only objects matching this label selector');
}

/** What `addSelectionOptions` parses. */
export interface SelectionFlags {
  namespace?: string[];
  allNamespaces?: boolean;
  excludeNamespace?: string[];
  include?: string[];
  exclude?: string[];
  selector?: string;
}

export function selectionFrom(options: SelectionFlags): SelectionOptions {
  if (options.allNamespaces && options.namespace?.length)
    throw new UsageError('--namespace and --all-namespaces cannot be used together.');
  return {
    namespaces: options.namespace,
    excludeNamespaces: options.excludeNamespace,
    include: options.include,
    exclude: options.exclude,
    labelSelector: options.selector,
  };
}
