import { UsageError } from '../errors/index.ts';

/** A parsed label selector (`app=web,tier in (a,b),!legacy`), matched client-side. */
export interface LabelSelector {
  text: string;
  matches(labels: Record<string, string> | undefined): boolean;
}

type Requirement = { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!exists' };

/** A selector term that does not parse; a UsageError (exit 2) for the CLI, a 400 for the simulator. */
export class SelectorSyntaxError extends UsageError {
  readonly term: string;
  constructor(selector: string, term: string) {
    super(`label selector "${selector}" cannot be parsed at "${term}".`);
    this.term = term;
  }
}

/** Splits a label or field selector on commas that are not inside a `(...)` value set. */
export function splitSelectorTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

function parseRequirement(term: string): Requirement | undefined {
  let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) };
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) return { key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] };
  m = /^!\s*([^=!\s]+)$/.exec(term);
  if (m) return { key: m[1], op: '!exists' };
  m = /^([^=!\s()]+)$/.exec(term);
  if (m) return { key: m[1], op: 'exists' };
  return undefined;
}

function satisfies(labels: Record<string, string>, requirement: Requirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  switch (requirement.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case 'in':
      return has && requirement.values.includes(labels[requirement.key]);
    case 'notin':
      return !has || !requirement.values.includes(labels[requirement.key]);
  }
}

/** Parses equality- and set-based selectors as Kubernetes does; a malformed one is a SelectorSyntaxError. */
export function parseLabelSelector(text: string): LabelSelector {
  const requirements = splitSelectorTerms(text).map((term) => {
    const requirement = parseRequirement(term);
    if (!requirement) throw new SelectorSyntaxError(text, term);
    return requirement;
  });
  return { text, matches: (labels) => requirements.every((r) => satisfies(labels ?? {}, r)) };
}
