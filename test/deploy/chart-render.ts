/**
 * Renders templates/chart as `helm template` would, for the handful of Go-template constructs the chart uses
 * (there is no helm binary here): `if`/`else`/`end`, `range` over a list, `define`/`include`, `{{-`/`-}}` trimming,
 * pipelines of include, quote, nindent, toYaml, default, printf, eq, trunc, trimSuffix. Anything else throws,
 * so a chart that grows a construct this does not know fails its tests instead of rendering wrongly.
 */
import { readFileSync } from 'node:fs';
import { dump, load, loadAll } from 'js-yaml';

const chartDir = new URL('../../templates/chart/', import.meta.url).pathname;

type Node =
  | { text: string }
  | { action: string }
  | { block: 'if' | 'range' | 'define'; arg: string; body: Node[]; otherwise: Node[] };
interface Scope {
  dot: unknown;
  root: Record<string, unknown>;
}

export interface ChartRelease {
  name?: string;
  namespace?: string;
  /** Deep-merged over values.yaml, as `--set`/`-f` would. */
  values?: Record<string, unknown>;
}

/** The manifests one chart template renders to (empty documents dropped). */
export function renderChartTemplate(template: string, release: ChartRelease = {}): any[] {
  const helpers = parse(readFileSync(`${chartDir}templates/_helpers.tpl`, 'utf8'));
  const defines = new Map<string, Node[]>();
  for (const node of helpers)
    if ('block' in node && node.block === 'define') defines.set(JSON.parse(node.arg), node.body);
  const chart = load(readFileSync(`${chartDir}Chart.yaml`, 'utf8')) as Record<string, string>;
  const values = merge(
    load(readFileSync(`${chartDir}values.yaml`, 'utf8')) as Record<string, unknown>,
    release.values ?? {},
  );
  const root = {
    Values: values,
    Release: { Name: release.name ?? 'kubesnap', Namespace: release.namespace ?? 'kubesnap' },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const text = render(parse(readFileSync(`${chartDir}templates/${template}`, 'utf8')), { dot: root, root }, defines);
  return loadAll(text).filter((document) => document);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const result = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = result[key];
    result[key] = isMap(current) && isMap(value) ? merge(current, value) : value;
  }
  return result;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parse(source: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ nodes: Node[]; block?: Extract<Node, { block: string }>; inElse?: boolean }> = [{ nodes: root }];
  const pattern = /\{\{(-?)\s*(.*?)\s*(-?)\}\}/gs;
  let last = 0;
  let trimNext = false;
  const top = () => stack[stack.length - 1];
  const add = (node: Node) => top().nodes.push(node);
  for (const match of source.matchAll(pattern)) {
    let text = source.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (match[1]) text = text.replace(/\s+$/, '');
    if (text) add({ text });
    last = match.index! + match[0].length;
    trimNext = match[3] === '-';
    const action = match[2];
    if (action.startsWith('/*')) continue;
    const opener = /^(if|range|define)\s+(.*)$/.exec(action);
    if (opener) {
      const block = { block: opener[1] as 'if' | 'range' | 'define', arg: opener[2], body: [], otherwise: [] };
      add(block);
      stack.push({ nodes: block.body, block });
    } else if (action === 'else') {
      const frame = top();
      if (!frame.block) throw new Error('chart template: else outside a block');
      frame.nodes = frame.block.otherwise;
    } else if (action === 'end') {
      if (stack.length === 1) throw new Error('chart template: end without a block');
      stack.pop();
    } else {
      add({ action });
    }
  }
  let rest = source.slice(last);
  if (trimNext) rest = rest.replace(/^\s+/, '');
  if (rest) add({ text: rest });
  if (stack.length !== 1) throw new Error('chart template: a block is not closed');
  return root;
}

function render(nodes: Node[], scope: Scope, defines: Map<string, Node[]>): string {
  let out = '';
  for (const node of nodes) {
    if ('text' in node) out += node.text;
    else if ('action' in node) out += String(pipeline(node.action, scope, defines) ?? '');
    else if (node.block === 'if')
      out += render(truthy(pipeline(node.arg, scope, defines)) ? node.body : node.otherwise, scope, defines);
    else if (node.block === 'range') {
      const list = pipeline(node.arg, scope, defines);
      const items = Array.isArray(list) ? list : [];
      out += items.length
        ? items.map((item) => render(node.body, { ...scope, dot: item }, defines)).join('')
        : render(node.otherwise, scope, defines);
    }
  }
  return out;
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

const functions: Record<string, (...args: any[]) => unknown> = {
  quote: (value) => JSON.stringify(String(value ?? '')),
  nindent: (width: number, text) =>
    `\n${String(text)
      .split('\n')
      .map((line) => ' '.repeat(width) + line)
      .join('\n')}`,
  toYaml: (value) => dump(value, { lineWidth: -1 }).trimEnd(),
  default: (fallback, value) => (truthy(value) ? value : fallback),
  printf: (format: string, ...args) => format.replace(/%[sv]/g, () => String(args.shift())),
  eq: (a, b) => a === b,
  trunc: (length: number, text: string) => text.slice(0, length),
  trimSuffix: (suffix: string, text: string) => (text.endsWith(suffix) ? text.slice(0, -suffix.length) : text),
};

function pipeline(expression: string, scope: Scope, defines: Map<string, Node[]>): unknown {
  let value: unknown;
  expression.split(/\s*\|\s*/).forEach((command, index) => {
    const words = command.match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
    const args = words.slice(1).map((word) => operand(word, scope));
    if (index > 0) args.push(value);
    const name = words[0] ?? '';
    if (name === 'include') {
      const body = defines.get(String(args[0]));
      if (!body) throw new Error(`chart template: no define ${String(args[0])}`);
      value = render(body, { ...scope, dot: args[1] }, defines);
    } else if (functions[name]) {
      value = functions[name](...args);
    } else if (words.length === 1 && index === 0) {
      value = operand(name, scope);
    } else {
      throw new Error(`chart template: this renderer does not know "${command}"`);
    }
  });
  return value;
}

function operand(word: string, scope: Scope): unknown {
  if (word.startsWith('"')) return JSON.parse(word);
  if (/^-?\d+$/.test(word)) return Number(word);
  if (word === '.') return scope.dot;
  if (word.startsWith('.'))
    return word
      .slice(1)
      .split('.')
      .reduce<any>(
        (value, key) => value?.[key],
        scope.dot === scope.root || !isMap(scope.dot) ? scope.root : scope.dot,
      );
  if (word.startsWith('$.')) return operand(word.slice(1), { ...scope, dot: scope.root });
  throw new Error(`chart template: this renderer does not know the operand "${word}"`);
}
