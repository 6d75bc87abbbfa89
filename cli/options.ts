import { Option, type Command } from 'commander';
import { UsageError } from '../lib/errors/index.ts';
import { skipReasons, type NormalizeOptions, type SkipReason } from '../lib/normalize/index.ts';
import type { SelectionOptions } from '../lib/selection/index.ts';
import type { Author } from '../lib/store/index.ts';
import type { GlobalOptions } from './main.ts';

/** Repeatable flags that also take comma-separated lists: `--include deploy,svc --include cm`. */
function collectList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** kubectl-style filters shared by snapshot, watch, diff and restore. */
export function addSelectionOptions(command: Command): Command {
  return command
    .option('-n, --namespace <name>', 'only this namespace (repeatable)', collectList)
    .option('-A, --all-namespaces', 'every namespace (the default)')
    .option('--exclude-namespace <glob>', 'leave out namespaces matching this glob (repeatable)', collectList)
    .option('--include <kinds>', 'only these kinds, as kubectl spells them: deploy, deployments.apps, Deployment (repeatable)', collectList)
    .option('--exclude <kinds>', 'leave out these kinds (repeatable)', collectList)
    .option('-l, --selector <selector>', 'only objects matching this label selector');
}

export function selectionFrom(options: Record<string, any>): SelectionOptions {
  if (options.allNamespaces && options.namespace?.length) throw new UsageError('--namespace and --all-namespaces cannot be used together.');
  return {
    namespaces: options.namespace,
    excludeNamespaces: options.excludeNamespace,
    include: options.include,
    exclude: options.exclude,
    labelSelector: options.selector,
  };
}

/** Skip policies, each a flag away (`--include-owned`), and what happens to Secret values. */
export function addNormalizeOptions(command: Command): Command {
  for (const [reason, { description, includeFlag }] of Object.entries(skipReasons)) {
    if (reason === 'secrets') continue;
    command.option(includeFlag, `keep what is skipped by default: ${description}`);
  }
  return command.addOption(new Option('--secrets <mode>', 'Secret values: redact (sha256 digests), skip, or plain (stored readable)').choices(['redact', 'skip', 'plain']).default('redact'));
}

export function normalizeFrom(options: Record<string, any>): NormalizeOptions {
  const include = new Set<SkipReason>();
  for (const [reason, { includeFlag }] of Object.entries(skipReasons) as Array<[SkipReason, { includeFlag: string }]>) {
    if (options[camelCase(includeFlag.replace(/^--/, ''))]) include.add(reason);
  }
  return { include, secrets: options.secrets };
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** `Name <email>` as git spells an identity. */
export function parseAuthor(text: string | undefined): Author {
  if (!text) return { name: 'kubesnap', email: 'kubesnap@localhost' };
  const match = /^\s*([^<>]+?)\s*<([^<>\s]+)>\s*$/.exec(text);
  if (!match) throw new UsageError(`--author "${text}" is not of the form "Name <email>".`);
  return { name: match[1], email: match[2] };
}

/** `-o/--output text|json`. */
export function addOutputOption(command: Command): Command {
  return command.addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'));
}

export function globalsOf(command: Command): GlobalOptions & Record<string, any> {
  return command.optsWithGlobals() as GlobalOptions & Record<string, any>;
}

/** `5s`, `500ms`, `2m`, `1h` → milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag} "${text}" is not a duration like 500ms, 5s, 2m or 1h.`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * unit);
}

export function parsePositiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${flag} "${text}" is not a positive whole number.`);
  return value;
}
