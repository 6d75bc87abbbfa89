// `kubesnap neat`: manifests in, the same objects out as the snapshot repository would hold them — through the
// snapshot's own normaliser and serialiser, without a cluster. Pure: the input's bytes and the options in, text out.
//
// Policy: neat cleans what it is given and leaves nothing out, so none of the snapshot's skip reasons apply
// (a Pod of a ReplicaSet is cleaned, not skipped); Secrets are redacted unless `secrets: 'plain'`. Objects
// without managedFields (old exports) are cleaned by the per-kind rules alone, as normalizeObject does.
import { parseDocuments, serializeObject } from '../layout/index.ts';
import {
  normalizeObject,
  skipReasons,
  type KubeObject,
  type NormalizeOptions,
  type ResourceInfo,
  type SkipReason,
} from '../normalize/index.ts';
import { inputObjects } from './input-objects.ts';

/** Far more than `kubectl get -A -o yaml` of a namespace's configuration; what js-yaml can hold a few times over in memory. */
export const maxNeatInputBytes = 64 * 1024 * 1024;

export type NeatFormat = 'yaml' | 'json';

export interface NeatOptions {
  /** Names the input in errors: "The input from stdin", "The file pod.yaml". */
  subject: string;
  format: NeatFormat;
  secrets: 'redact' | 'plain';
  /** The HMAC key of redacted values (lib/secrets/digest-key.ts). */
  digestKey: Uint8Array;
}

const everySkipReason = new Set(Object.keys(skipReasons) as SkipReason[]);

/**
 * What normalizeObject needs from discovery, read from the object itself. Neat has no discovery: the resource
 * name and verbs are unknown, and only the skip policy, which neat does not apply, reads them.
 */
function resourceInfoOf(object: KubeObject): ResourceInfo {
  const slash = object.apiVersion.indexOf('/');
  return {
    group: slash === -1 ? '' : object.apiVersion.slice(0, slash),
    version: object.apiVersion.slice(slash + 1),
    resource: '',
    kind: object.kind,
    namespaced: object.metadata.namespace !== undefined,
    verbs: [],
  };
}

function clean(object: KubeObject, options: NormalizeOptions): KubeObject {
  const result = normalizeObject(object, resourceInfoOf(object), options);
  if (result.action === 'skip')
    throw new Error(`neat skipped ${object.kind} ${object.metadata.name}: ${result.reason}`);
  return result.object;
}

/** YAML: one document per object, `---` between them. JSON: the object, or a List when the input held several or a List. */
function render(objects: KubeObject[], single: boolean, format: NeatFormat): string {
  if (format === 'yaml') return objects.map(serializeObject).join('---\n');
  const value = single ? objects[0] : { apiVersion: 'v1', kind: 'List', items: objects };
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The objects of `source` (YAML or JSON: one object, a List, or a `---` stream), cleaned and written in `format`. */
export function neat(source: Buffer | string, options: NeatOptions): string {
  const { objects, single } = inputObjects(parseDocuments(source, options.subject, maxNeatInputBytes), options.subject);
  const normalize: NormalizeOptions = {
    include: everySkipReason,
    secrets: options.secrets,
    digestKey: options.digestKey,
  };
  return render(
    objects.map((object) => clean(object, normalize)),
    single,
    options.format,
  );
}
