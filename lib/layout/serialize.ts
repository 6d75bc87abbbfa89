// Objects → YAML files (parse-manifest.ts reads them back). The bytes depend only on the object: `apiVersion`, `kind`, `metadata`
// first, every other key in the order it came in. js-yaml's dump schema quotes any string a YAML 1.1
// reader (kubectl, sigs.k8s.io/yaml) would take for a bool or number (`'yes'`, `'0755'`, `'1e3'`).
import { dump } from 'js-yaml';
import { writeYamlMapping } from './yaml-writer.ts';

const leadingKeys = ['apiVersion', 'kind', 'metadata'];

function isLeadingKey(key: string): boolean {
  return key === 'apiVersion' || key === 'kind' || key === 'metadata';
}

/** The object's keys as they are written: the leading keys it has, then the others in their order. */
function keysInFileOrder(object: Record<string, unknown>): string[] {
  const keys = Object.keys(object);
  // What normalizeObject returns is already in this order.
  if (keys[0] === 'apiVersion' && keys[1] === 'kind' && keys[2] === 'metadata') return keys;
  return [...leadingKeys.filter((key) => key in object), ...keys.filter((key) => !isLeadingKey(key))];
}

export function serializeObject(object: object): string {
  const source = object as Record<string, unknown>;
  const keys = keysInFileOrder(source);
  return (
    writeYamlMapping(source, keys) ??
    dump(Object.fromEntries(keys.map((key) => [key, source[key]])), { lineWidth: -1, noRefs: true })
  );
}
