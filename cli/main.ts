import { Command, CommanderError, Option } from 'commander';
import { argumentsWithCommandFirst } from './command-first.ts';
import { ProgramKeepingPathspecs } from './pathspecs.ts';
import { readFileSync } from 'node:fs';
import { packageRoot } from '../lib/runtime/index.ts';
import { registerCommands } from './commands/index.ts';
import { enableConfiguration } from './config.ts';
import { renderError } from './errors.ts';

const packageJson = JSON.parse(readFileSync(new URL('package.json', packageRoot()), 'utf8')) as { version: string };

/** Options every command accepts; commands read them with `globalOptions(command)`. */
export interface GlobalOptions {
  kubeconfig?: string;
  context?: string;
  /** Has a default (`kubesnap-snapshots`). */
  repo: string;
  logFormat: 'text' | 'json';
  verbose: number;
}

export function buildProgram(): Command {
  const program = new ProgramKeepingPathspecs('kubesnap')
    .description("Keep a Kubernetes cluster's configuration as Git history you can trust, read and restore from.")
    .version(packageJson.version, '--version', 'print the version')
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option(
      '--repo <dir>',
      'the snapshot Git repository; a new one is bare (HEAD, config, objects, refs; no files): read it with `git clone DIR` or `git -C DIR log`',
      'kubesnap-snapshots',
    )
    .addOption(new Option('--log-format <format>', 'log line format').choices(['text', 'json']).default('text'))
    .option('-v, --verbose', 'more log lines (repeatable)', (_value: string, previous: number) => previous + 1, 0)
    .showSuggestionAfterError(true)
    .enablePositionalOptions(false)
    .exitOverride();
  program.configureOutput({ outputError: () => {} });
  registerCommands(program);
  enableConfiguration(program);
  for (const command of subcommandsOf(program)) {
    command.exitOverride((error) => {
      failedCommands.set(error, command);
      throw error;
    });
    command.configureOutput({ outputError: () => {} });
  }
  return program;
}

/** The command whose parsing failed, so the usage hint names its own --help. */
const failedCommands = new WeakMap<CommanderError, Command>();

function subcommandsOf(command: Command): Command[] {
  return command.commands.flatMap((sub) => [sub, ...subcommandsOf(sub)]);
}

/** `kubesnap etcd snapshot`. */
function commandLine(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/** Runs the CLI and returns the exit code; never throws. */
export async function main(argv: string[]): Promise<number> {
  endQuietlyWhenReaderGoes();
  const program = buildProgram();
  try {
    await program.parseAsync([...argv.slice(0, 2), ...argumentsWithCommandFirst(program, argv.slice(2))]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExit(error);
    const { message, exitCode } = renderError(error);
    process.stderr.write(`error: ${message}\n`);
    return exitCode;
  }
}

/**
 * `kubesnap log -p | head`: the reader closing the pipe ends the run with exit 0 and nothing printed, as git does
 * on SIGPIPE. Node reports the closed pipe as an asynchronous EPIPE error on the stream, outside any try.
 */
function endQuietlyWhenReaderGoes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(0);
    });
  }
}

function commanderExit(error: CommanderError): number {
  if (
    error.code === 'commander.helpDisplayed' ||
    error.code === 'commander.version' ||
    error.code === 'commander.help'
  ) {
    return 0;
  }
  const message = error.message.replace(/^error: /, '').trim();
  const command = failedCommands.get(error);
  process.stderr.write(`error: ${message}\nRun '${command ? commandLine(command) : 'kubesnap'} --help' for usage.\n`);
  return 2;
}
