// Objects <-> YAML files. The bytes depend only on the object: `apiVersion`, `kind`, `metadata`
// first, every other key in the order it came in. js-yaml's dump schema quotes any string a YAML 1.1
// reader (kubectl, sigs.k8s.io/yaml) would take for a bool or number (`'yes'`, `'0755'`, `'1e3'`).
import { dump, load, YAMLException } from 'js-yaml';
import { ManifestError } from './manifest-error.ts';
import { writeYamlMapping } from './yaml-writer.ts';

const leadingKeys = ['apiVersion', 'kind', 'metadata'];

function withLeadingKeys(object: object): Record<string, unknown> {
  const source = object as Record<string, unknown>;
  const ordered: Record<string, unknown> = {};
  for (const key of leadingKeys) if (key in source) ordered[key] = source[key];
  for (const [key, value] of Object.entries(source)) if (!leadingKeys.includes(key)) ordered[key] = value;
  return ordered;
}

export function serializeObject(object: object): string {
  const ordered = withLeadingKeys(object);
  return writeYamlMapping(ordered) ?? dump(ordered, { lineWidth: -1, noRefs: true });
}

export function parseObject(text: string): object {
  let value: unknown;
  try {
    value = load(text);
  } catch (error) {
    const reason = error instanceof YAMLException ? error.message.split('\n')[0] : String(error);
    throw new ManifestError(`The manifest is not valid YAML: ${reason}.`, { cause: error });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ManifestError('The manifest is not one YAML mapping (an object with apiVersion, kind and metadata).');
  }
  return value;
}
