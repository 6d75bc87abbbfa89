// How the real server shapes an object on the wire: key order, which kinds carry a generation, generated names.
import { randomInt } from 'node:crypto';
import type { KubeObject, ResourceDef } from './types.ts';

const METADATA_ORDER = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/**
 * The object as it is stored: metadata (fields in Go struct order), the rest as given, status last. No kind or
 * apiVersion: a stored object is served at whichever version is asked for.
 */
export function storedOrder(object: KubeObject): KubeObject {
  const given = object.metadata;
  const metadata: Record<string, unknown> = {};
  for (const key of METADATA_ORDER) if (given[key] !== undefined) metadata[key] = given[key];
  for (const key of Object.keys(given)) if (!(key in metadata) && given[key] !== undefined) metadata[key] = given[key];
  const out: KubeObject = { metadata };
  for (const key of Object.keys(object)) {
    if (key !== 'kind' && key !== 'apiVersion' && key !== 'metadata' && key !== 'status' && object[key] !== undefined)
      out[key] = object[key];
  }
  if (object.status !== undefined) out.status = object.status;
  return out;
}

// Built-in resources whose strategy sets metadata.generation (custom resources always have one).
const GENERATION_RESOURCES = new Set([
  'apps/deployments',
  'apps/statefulsets',
  'apps/daemonsets',
  'apps/replicasets',
  '/replicationcontrollers',
  'batch/jobs',
  'batch/cronjobs',
  'networking.k8s.io/ingresses',
  'networking.k8s.io/networkpolicies',
  'policy/poddisruptionbudgets',
  'apiextensions.k8s.io/customresourcedefinitions',
  'scheduling.k8s.io/priorityclasses',
  'flowcontrol.apiserver.k8s.io/flowschemas',
  'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations',
  'discovery.k8s.io/endpointslices',
  'admissionregistration.k8s.io/validatingadmissionpolicies',
  'admissionregistration.k8s.io/validatingadmissionpolicybindings',
  'admissionregistration.k8s.io/mutatingwebhookconfigurations',
  'admissionregistration.k8s.io/validatingwebhookconfigurations',
]);

export function hasGeneration(def: ResourceDef, builtin: boolean): boolean {
  return !builtin || GENERATION_RESOURCES.has(`${def.group}/${def.resource}`);
}

// The alphabet the apiserver draws generateName suffixes from (no vowels, no confusable digits).
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generatedName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return prefix + suffix;
}

export function apiVersionOf(def: ResourceDef): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** An apiVersion's group ('' for the core group) and version: `apps/v1` → ['apps', 'v1'], `v1` → ['', 'v1']. */
export function groupVersionOf(apiVersion: string): [group: string, version: string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

let lastTimestamp = { seconds: NaN, text: '' };

/** The server's timestamps have whole seconds. */
export function timestamp(now: Date): string {
  const seconds = Math.floor(now.getTime() / 1000);
  if (seconds !== lastTimestamp.seconds) lastTimestamp = { seconds, text: now.toISOString().replace(/\.\d+Z$/, 'Z') };
  return lastTimestamp.text;
}
