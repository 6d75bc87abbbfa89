// Label and field selectors as list and watch requests spell them.
import { badRequest } from './status.ts';
import type { KubeObject } from './types.ts';

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

export type Selector = (object: KubeObject) => boolean;

// Splits on commas that are not inside a `(...)` value set.
function splitTerms(text: string): string[] {
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

function parseLabelTerm(term: string): Requirement {
  let m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (m) return { key: m[1], op: m[2] as 'in' | 'notin', values: m[3].split(',').map((v) => v.trim()) };
  m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (m) return { key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] };
  m = /^!\s*([^=!\s]+)$/.exec(term);
  if (m) return { key: m[1], op: '!exists' };
  m = /^([^=!\s()]+)$/.exec(term);
  if (m) return { key: m[1], op: 'exists' };
  throw badRequest(`unable to parse requirement: found '${term}', expected: identifier`);
}

function matchesRequirement(labels: Record<string, string>, req: Requirement): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case 'in':
      return has && req.values.includes(labels[req.key]);
    case 'notin':
      return !has || !req.values.includes(labels[req.key]);
  }
}

export function parseLabelSelector(text: string | null): Selector | undefined {
  if (!text) return undefined;
  const requirements = splitTerms(text).map(parseLabelTerm);
  return (object) => {
    const labels = object.metadata.labels ?? {};
    return requirements.every((r) => matchesRequirement(labels, r));
  };
}

const FIELD_VALUES: Record<string, (object: KubeObject) => string> = {
  'metadata.name': (o) => String(o.metadata.name ?? ''),
  'metadata.namespace': (o) => String(o.metadata.namespace ?? ''),
};

export function parseFieldSelector(text: string | null): Selector | undefined {
  if (!text) return undefined;
  const terms = splitTerms(text).map((term) => {
    const m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = FIELD_VALUES[m[1]];
    if (!field) throw badRequest(`field label not supported: ${m[1]}`);
    return { field, negate: m[2] === '!=', value: m[3] };
  });
  return (object) => terms.every((t) => (t.field(object) === t.value) !== t.negate);
}

export function bothSelectors(a: Selector | undefined, b: Selector | undefined): Selector {
  return (object) => (!a || a(object)) && (!b || b(object));
}
