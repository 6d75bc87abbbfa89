// Label and field selectors as list and watch requests spell them.
import { parseLabelSelector as parseSelectorText, SelectorSyntaxError, splitSelectorTerms } from '../selection/label-selector.ts';
import { badRequest } from './status.ts';
import type { KubeObject } from './types.ts';

export type Selector = (object: KubeObject) => boolean;

export function parseLabelSelector(text: string | null): Selector | undefined {
  if (!text) return undefined;
  try {
    const selector = parseSelectorText(text);
    return (object) => selector.matches(object.metadata.labels);
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw badRequest(`unable to parse requirement: found '${error.term}', expected: identifier`);
    throw error;
  }
}

const FIELD_VALUES: Record<string, (object: KubeObject) => string> = {
  'metadata.name': (o) => String(o.metadata.name ?? ''),
  'metadata.namespace': (o) => String(o.metadata.namespace ?? ''),
};

export function parseFieldSelector(text: string | null): Selector | undefined {
  if (!text) return undefined;
  const terms = splitSelectorTerms(text).map((term) => {
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
