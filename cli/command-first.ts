import type { Command } from 'commander';

/** Every flag (`-n`, `--namespace`) that takes its value from the next argument, in any command. */
function flagsTakingValues(program: Command): Set<string> {
  const flags = new Set<string>();
  for (const command of [program, ...program.commands]) {
    for (const option of command.options) {
      if (!option.required) continue;
      if (option.short) flags.add(option.short);
      if (option.long) flags.add(option.long);
    }
  }
  return flags;
}

function isCommandName(program: Command, name: string): boolean {
  return program.commands.some((command) => command.name() === name || command.aliases().includes(name));
}

/**
 * kubectl takes flags before the command (`kubectl -n shop get pods`); commander reads a command's own options only
 * after its name. The command's name is moved in front of the flags written before it, so `kubesnap -n shop snapshot`
 * parses as `kubesnap snapshot -n shop`: each flag is then checked by the command that has it, and one it lacks is
 * still an unknown option. The program's own options parse on either side.
 */
export function argumentsWithCommandFirst(program: Command, args: string[]): string[] {
  const takesValue = flagsTakingValues(program);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break;
    if (arg.startsWith('-') && arg !== '-') {
      if (takesValue.has(arg)) i++;
      continue;
    }
    if (i === 0 || !isCommandName(program, arg)) break;
    return [arg, ...args.slice(0, i), ...args.slice(i + 1)];
  }
  return args;
}
