/**
 * kubesnap.yaml: every flag of every command, from a file or the environment.
 *
 * Where values come from, first match wins:
 *   1. the command line
 *   2. the configuration file: `--config FILE`, else $KUBESNAP_CONFIG, else ./kubesnap.yaml when present
 *   3. the environment: KUBESNAP_<COMMAND>_<FLAG>, e.g. KUBESNAP_WATCH_BATCH=10s; global flags without
 *      a command: KUBESNAP_REPO, KUBESNAP_CONTEXT, KUBESNAP_LOG_FORMAT
 *   4. the flag's default
 *
 * The file is YAML. Global flags are top-level keys; each command (and sub-command) has a section of
 * its own; keys are the long flag names without dashes:
 *
 *   repo: /data/repo
 *   log-format: json
 *   watch:
 *     batch: 5s
 *     listen: ':9090'
 *     namespace: [shop, payments]   # a list is the flag repeated
 *     include-owned: true           # flags without a value take true or false
 *   etcd:
 *     snapshot:
 *       endpoints: https://10.0.0.1:2379
 *
 * In the environment a flag without a value takes true/false (also 1/0, yes/no), and a repeatable one
 * takes one value (comma-separated where the flag accepts that). The whole file is checked every run:
 * an unknown key or a value of the wrong type is a usage error (exit 2) naming each one.
 * Nothing here names a flag: everything is read from commander's option definitions, so a new flag
 * is covered as soon as it is declared. See templates/kubesnap.example.yaml.
 */
import type { Command, Option } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../lib/errors/index.ts';

export const defaultConfigFile = 'kubesnap.yaml';
const envPrefix = 'KUBESNAP';
/** Options that configure the configuration itself, or only print. */
const unconfigurable = new Set(['config', 'version', 'help']);

export interface ConfigurationOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Adds `--config FILE` and fills every option the command line left at its default from the file,
 * then the environment, just before a command's action runs.
 */
export function enableConfiguration(program: Command, options: ConfigurationOptions = {}): void {
  program.option(
    '--config <file>',
    `configuration file (default: $${envPrefix}_CONFIG or ./${defaultConfigFile} when present)`,
  );
  // Commander checks required options before any hook runs; they are checked here instead, once the
  // file and the environment had their say.
  const required = new Map<Command, Option[]>();
  for (const command of commandTree(program)) {
    const mandatory = command.options.filter((option) => option.mandatory);
    for (const option of mandatory) {
      option.makeOptionMandatory(false);
      // The help still says so: a flag, the file or the environment must give it.
      option.description = `${option.description} (required)`;
    }
    if (mandatory.length) required.set(command, mandatory);
  }
  program.hook('preAction', async (_program, action) => {
    const env = options.env ?? process.env;
    const file = configFile(program, env, options.cwd ?? process.cwd());
    const document = file ? await readConfigFile(file) : {};
    const problems = configurationProblems(program, document);
    if (problems.length) throw new UsageError(problems.map((problem) => `${file}: ${problem}`).join('\n'));
    for (const command of lineage(action)) {
      const path = commandPath(command);
      const section = path.reduce<Record<string, unknown>>(
        (node, name) => (node?.[name] ?? {}) as Record<string, unknown>,
        document,
      );
      for (const option of configurableOptions(command)) {
        const source = command.getOptionValueSource(option.attributeName());
        if (source !== undefined && source !== 'default') continue;
        const key = option.name();
        if (section[key] !== undefined) {
          command.setOptionValueWithSource(
            option.attributeName(),
            valueFromFile(option, section[key], command),
            'config',
          );
          recordOrigin(
            command,
            option,
            `${file} (${[...path, key].join('.')})`,
            `${[...path, key].join('.')} in ${file}`,
          );
          continue;
        }
        const variable = envName(command, option);
        const text = env[variable];
        if (text !== undefined) {
          command.setOptionValueWithSource(
            option.attributeName(),
            valueFromEnv(option, text, variable, command),
            'env',
          );
          recordOrigin(command, option, `the environment (${variable})`, variable);
        }
      }
      for (const option of required.get(command) ?? []) {
        if (command.getOptionValue(option.attributeName()) === undefined) {
          throw new UsageError(
            `required option '${option.flags}' not specified (as a flag, in ${defaultConfigFile} or as ${envName(command, option)}).`,
          );
        }
      }
    }
  });
}

const origins = new WeakMap<Command, Map<string, { origin: string; name: string }>>();

function recordOrigin(command: Command, option: Option, origin: string, name: string): void {
  if (!origins.has(command)) origins.set(command, new Map());
  origins.get(command)!.set(option.attributeName(), { origin, name });
}

/**
 * Where a value that did not come from the command line came from, for messages: `/etc/kubesnap.yaml
 * (snapshot.secrets)` or `the environment (KUBESNAP_SNAPSHOT_SECRETS)`; undefined for a flag or a default.
 */
export function configuredOrigin(command: Command, attributeName: string): string | undefined {
  return origins.get(command)?.get(attributeName)?.origin;
}

/**
 * What an error about an option's value calls it: the flag (`--batch`), or what set it when that was not the command
 * line: the variable (`KUBESNAP_WATCH_BATCH`) or the file's key (`watch.batch in kubesnap.yaml`).
 */
export function valueSourceName(command: Command, attributeName: string, flag: string): string {
  return origins.get(command)?.get(attributeName)?.name ?? flag;
}

/** The environment variable that sets `option` of `command`: KUBESNAP_ETCD_SNAPSHOT_ENDPOINTS. */
export function envName(command: Command, option: Option): string {
  return [envPrefix, ...commandPath(command), option.name()].join('_').toUpperCase().replace(/-/g, '_');
}

/** Every command of the program, the program first. */
export function commandTree(command: Command): Command[] {
  return [command, ...command.commands.flatMap((child) => commandTree(child))];
}

export function configurableOptions(command: Command): Option[] {
  return command.options.filter((option) => !unconfigurable.has(option.name()) && !option.hidden);
}

function commandPath(command: Command): string[] {
  return lineage(command)
    .slice(1)
    .map((c) => c.name());
}

/** The program down to `command`. */
function lineage(command: Command): Command[] {
  const chain: Command[] = [];
  for (let current: Command | null = command; current; current = current.parent) chain.unshift(current);
  return chain;
}

function configFile(program: Command, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const named = (program.getOptionValue('config') as string | undefined) ?? env[`${envPrefix}_CONFIG`];
  if (named) {
    const file = resolve(cwd, named);
    if (!existsSync(file)) throw new UsageError(`configuration file ${named} does not exist.`);
    return file;
  }
  const found = resolve(cwd, defaultConfigFile);
  return existsSync(found) ? found : undefined;
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  const { load } = await import('js-yaml');
  let document: unknown;
  try {
    document = load(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`configuration file ${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}.`, {
      cause: error,
    });
  }
  if (document === undefined || document === null) return {};
  if (!isMapping(document))
    throw new UsageError(`configuration file ${file} must be a mapping of option names to values.`);
  return document;
}

/** Every unknown key and wrong value of a configuration document, one sentence each. */
export function configurationProblems(program: Command, document: Record<string, unknown>): string[] {
  return checkSection(program, document, []);
}

function checkSection(command: Command, section: Record<string, unknown>, path: string[]): string[] {
  const options = new Map(configurableOptions(command).map((option) => [option.name(), option]));
  const children = new Map(command.commands.map((child) => [child.name(), child]));
  const problems: string[] = [];
  for (const [key, value] of Object.entries(section)) {
    const where = [...path, key].join('.');
    const child = children.get(key);
    const option = options.get(key);
    if (child) {
      if (value === null) continue;
      if (!isMapping(value))
        problems.push(`"${where}" must be a section of options of kubesnap ${[...path, key].join(' ')}.`);
      else problems.push(...checkSection(child, value, [...path, key]));
    } else if (option) {
      try {
        valueFromFile(option, value, command, where);
      } catch (error) {
        problems.push((error as Error).message);
      }
    } else {
      const known = [...options.keys(), ...children.keys()].sort();
      problems.push(
        `unknown key "${where}" (${['kubesnap', ...path].join(' ')} takes: ${known.join(', ') || 'nothing'}).`,
      );
    }
  }
  return problems;
}

function valueFromFile(option: Option, value: unknown, command: Command, where = option.name()): unknown {
  // A counting flag (-v -v): the file gives the count.
  if (typeof value === 'number' && typeof option.defaultValue === 'number') return value;
  if (option.isBoolean()) {
    if (typeof value !== 'boolean') throw new UsageError(`"${where}" takes true or false, not ${describe(value)}.`);
    return option.negate ? !value : value;
  }
  if (option.optional && typeof value === 'boolean') return value ? (option.presetArg ?? true) : false;
  if (Array.isArray(value)) {
    if (!option.parseArg && !option.variadic) throw new UsageError(`"${where}" takes one value, not a list.`);
    return value.reduce(
      (previous: unknown, item: unknown) => parseValue(option, scalar(item, where), previous, `"${where}"`),
      undefined,
    );
  }
  return parseValue(option, scalar(value, where), command.getOptionValue(option.attributeName()), `"${where}"`);
}

function valueFromEnv(option: Option, text: string, variable: string, command: Command): unknown {
  if (typeof option.defaultValue === 'number' && /^\d+$/.test(text)) return Number(text);
  if (option.isBoolean()) {
    const truth = /^(true|1|yes|on)$/i.test(text) ? true : /^(false|0|no|off|)$/i.test(text) ? false : undefined;
    if (truth === undefined) throw new UsageError(`${variable}="${text}" is not true or false.`);
    return option.negate ? !truth : truth;
  }
  return parseValue(option, text, command.getOptionValue(option.attributeName()), variable);
}

/** The value as commander would make it from the flag given once (choices, custom parsers, lists). */
function parseValue(option: Option, text: string, previous: unknown, label: string): unknown {
  if (option.parseArg) {
    try {
      return option.parseArg(text, previous as never);
    } catch (error) {
      throw new UsageError(`${label} "${text}" is invalid: ${(error as Error).message.replace(/^error: /, '')}`);
    }
  }
  return option.variadic ? [...((previous as string[] | undefined) ?? []), text] : text;
}

function scalar(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new UsageError(`"${where}" takes a value like a string or a number, not ${describe(value)}.`);
}

function describe(value: unknown): string {
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a section';
  return `${typeof value === 'string' ? 'the text' : 'the'} ${JSON.stringify(value)}`;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
