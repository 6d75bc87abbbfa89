import { Option, type Command } from 'commander';

/** What `addOutputOption` parses. */
export interface OutputFlags {
  output: 'text' | 'json';
}

/** `-o/--output text|json`. */
export function addOutputOption(command: Command): Command {
  return command.addOption(
    new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
  );
}
