import type { Command } from 'commander';
import type { GlobalOptions } from '../main.ts';

/** A command's own options (`Flags`: what its `add*Options` and `.option()`s parse) with the global ones. */
export function globalsOf<Flags extends object>(command: Command): GlobalOptions & Flags {
  return command.optsWithGlobals<GlobalOptions & Flags>();
}
