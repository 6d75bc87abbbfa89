import { fieldChanges } from '../json/field-changes.ts';
import { parseObjectPath, serializeObject, type ObjectIdentity } from '../layout/index.ts';
import { maskSecretValues } from '../secrets/index.ts';
import { readShownManifest } from './shown-manifest.ts';
import type { ObjectChange } from './types.ts';

type Manifest = Record<string, unknown>;

function parseManifest(bytes: Buffer | undefined, path: string, identity: ObjectIdentity): Manifest | undefined {
  if (bytes === undefined) return undefined;
  return readShownManifest(bytes, path, identity) ?? {};
}

function yamlOf(original: Buffer | undefined, shown: Manifest | undefined, parsed: Manifest | undefined): string {
  if (original === undefined || shown === undefined) return '';
  return shown === parsed ? original.toString('utf8') : serializeObject(shown);
}

/**
 * One changed file as an ObjectChange, or undefined when the path is not an object's (README.md) or
 * both sides are equal. `showSecrets` leaves readable Secret values in; by default they are masked.
 */
export function objectChange(
  path: string,
  before: Buffer | undefined,
  after: Buffer | undefined,
  options: { prefix?: string; showSecrets?: boolean } = {},
): ObjectChange | undefined {
  const identity = parseObjectPath(path, options.prefix);
  if (!identity || (before === undefined && after === undefined)) return undefined;
  if (before !== undefined && after !== undefined && before.equals(after)) return undefined;
  const parsedBefore = parseManifest(before, path, identity);
  const parsedAfter = parseManifest(after, path, identity);
  const shown = options.showSecrets
    ? { before: parsedBefore, after: parsedAfter }
    : maskSecretValues(parsedBefore, parsedAfter);
  const kind = (parsedAfter?.kind ?? parsedBefore?.kind) as string | undefined;
  return {
    path,
    group: identity.group,
    resource: identity.resource,
    kind: typeof kind === 'string' ? kind : identity.resource,
    namespace: identity.namespace,
    name: identity.name,
    change: before === undefined ? 'created' : after === undefined ? 'deleted' : 'changed',
    before: shown.before,
    after: shown.after,
    beforeYaml: yamlOf(before, shown.before, parsedBefore),
    afterYaml: yamlOf(after, shown.after, parsedAfter),
    fields: before !== undefined && after !== undefined ? fieldChanges(shown.before, shown.after) : [],
  };
}
