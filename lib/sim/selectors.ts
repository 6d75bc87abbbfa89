// Label and field selectors as list and watch requests spell them.
import {
  parseLabelSelector as parseSelectorText,
  SelectorSyntaxError,
  splitSelectorTerms,
} from '../selection/label-selector.ts';
import { badRequest } from './status.ts';
import type { KubeObject } from './types.ts';

export type Selector = (object: KubeObject) => boolean;

export function parseLabelSelector(text: string | null): Selector | undefined {
  if (!text) return undefined;
  try {
    const selector = parseSelectorText(text);
    return (object) => selector.matches(object.metadata.labels);
  } catch (error) {
    if (error instanceof SelectorSyntaxError)
      throw badRequest(`unable to parse requirement: found '${error.term}', expected: identifier`);
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

/** A metav1.LabelSelector object (matchLabels, matchExpressions), as aggregation rules and workloads write them. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

export function labelSelectorMatches(
  selector: LabelSelectorObject,
  labels: Record<string, string> | undefined,
): boolean {
  const has = (key: string): boolean => labels !== undefined && Object.hasOwn(labels, key);
  const labelsMatch = Object.entries(selector.matchLabels ?? {}).every(
    ([key, value]) => has(key) && labels![key] === value,
  );
  return (
    labelsMatch &&
    (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
      switch (operator) {
        case 'In':
          return has(key) && values.includes(labels![key]);
        case 'NotIn':
          return !has(key) || !values.includes(labels![key]);
        case 'Exists':
          return has(key);
        case 'DoesNotExist':
          return !has(key);
        default:
          return false;
      }
    })
  );
}
