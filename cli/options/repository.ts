import type { Command } from 'commander';
import { UsageError } from '../../lib/errors/index.ts';
import type { Author, SnapshotRepository } from '../../lib/store/index.ts';
import type { GlobalOptions } from '../main.ts';

/** What `addCommitOptions` parses. */
export interface CommitFlags extends RepositoryFlags {
  author?: string;
}

/** Where and as whom commits are written: shared by snapshot and watch. */
export function addCommitOptions(command: Command): Command {
  return addRepositoryOptions(command, { write: true }).option('--author <identity>', 'commit author, "Name <email>"');
}

/** What `addRepositoryOptions` parses. */
export interface RepositoryFlags {
  prefix?: string;
}

/** `--prefix`: the folder of the `--repo` repository a cluster is written under (the repository itself is a global flag). */
export function addRepositoryOptions(command: Command, { write }: { write: boolean }): Command {
  return command.option(
    '--prefix <dir>',
    write
      ? 'write under this folder of the repository (e.g. clusters/prod)'
      : 'the folder of the repository the snapshot was written under',
  );
}

/**
 * The `--repo` repository. Only a command that writes creates it: a reader of a missing one would get an empty
 * repository and then a confusing "unknown revision" instead of "there is no git repository".
 */
export async function openRepository(
  options: Pick<GlobalOptions, 'repo'>,
  { write }: { write: boolean },
): Promise<SnapshotRepository> {
  const { SnapshotRepository } = await import('../../lib/store/index.ts');
  return SnapshotRepository.open(options.repo, { create: write });
}

/** `Name <email>` as git spells an identity. */
export function parseAuthor(text: string | undefined): Author {
  if (!text) return { name: 'kubesnap', email: 'kubesnap@localhost' };
  const match = /^\s*([^<>]+?)\s*<([^<>\s]+)>\s*$/.exec(text);
  if (!match) throw new UsageError(`--author "${text}" is not of the form "Name <email>".`);
  return { name: match[1], email: match[2] };
}
