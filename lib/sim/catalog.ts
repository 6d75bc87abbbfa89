import { createHash } from 'node:crypto';
import { BUILTIN_RESOURCES } from './builtin-resources.ts';
import type { KubeObject, ResourceDef } from './types.ts';

/** Every built-in resource a kube-apiserver v1.32 serves, as its discovery documents list them. */
export function builtinResources(): ResourceDef[] {
  return structuredClone(BUILTIN_RESOURCES) as ResourceDef[];
}

// The order in which the real server lists a custom resource's verbs.
const CUSTOM_RESOURCE_VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  subresources?: { status?: unknown; scale?: unknown };
}

interface CrdSpec {
  group: string;
  scope?: string;
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions?: CrdVersion[];
}

/** The resources a CustomResourceDefinition serves: one per served version. */
export function resourcesFromCrd(crd: KubeObject): ResourceDef[] {
  const spec = crd.spec as CrdSpec;
  const versions = spec.versions ?? [];
  const served = versions.filter((v) => v.served !== false);
  const storage = versions.find((v) => v.storage) ?? served[0];
  const preferred = [...served].sort((a, b) => compareVersionPriority(a.name, b.name))[0];
  const names = spec.names;
  return served.map((v) => {
    const subresources: Array<'status' | 'scale'> = [];
    if (v.subresources?.status !== undefined) subresources.push('status');
    if (v.subresources?.scale !== undefined) subresources.push('scale');
    const def: ResourceDef = {
      group: spec.group,
      version: v.name,
      preferred: v === preferred,
      resource: names.plural,
      kind: names.kind,
      listKind: names.listKind ?? `${names.kind}List`,
      singularName: names.singular ?? names.kind.toLowerCase(),
      namespaced: spec.scope !== 'Cluster',
      verbs: [...CUSTOM_RESOURCE_VERBS],
      subresources,
    };
    if (names.shortNames?.length) def.shortNames = [...names.shortNames];
    if (names.categories?.length) def.categories = [...names.categories];
    if (storage) def.storageVersionHash = storageVersionHash(spec.group, storage.name, names.kind);
    return def;
  });
}

// Same hash the apiserver publishes: the first 8 bytes of sha256("group/version/kind"), base64.
function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

// Kubernetes version priority: GA before beta before alpha, higher numbers first, others last by name.
function compareVersionPriority(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const m = KUBE_VERSION.exec(v);
    if (!m) return undefined;
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), m[3] === undefined ? 0 : Number(m[3])];
  };
  const ra = rank(a);
  const rb = rank(b);
  if (ra && rb) {
    for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
    return 0;
  }
  if (ra) return -1;
  if (rb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const BUILTIN_KEYS = new Set(BUILTIN_RESOURCES.map((d) => `${d.group}/${d.resource}`));

/** Whether `def` is one of the server's compiled-in resources (as opposed to a custom resource). */
export function isBuiltinResource(def: ResourceDef): boolean {
  return BUILTIN_KEYS.has(`${def.group}/${def.resource}`);
}
