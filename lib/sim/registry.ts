// Which resources the simulator serves right now: the built-in catalog plus whatever CRDs define.
import { builtinResources, resourcesFromCrd } from './catalog.ts';
import type { KubeObject, ResourceDef } from './types.ts';

export interface GroupVersions {
  group: string;
  versions: string[]; // preferred first, as discovery lists them
}

// The order in which a kube-apiserver v1.32 lists its built-in groups; custom groups follow in creation order.
const BUILTIN_GROUP_ORDER = [
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

function groupRank(group: string): number {
  const index = BUILTIN_GROUP_ORDER.indexOf(group);
  return index === -1 ? BUILTIN_GROUP_ORDER.length : index;
}

export class ResourceRegistry {
  private builtins: ResourceDef[];
  private custom = new Map<string, ResourceDef[]>(); // by CRD name
  private served?: readonly ResourceDef[];

  constructor() {
    this.builtins = builtinResources();
  }

  /** Every served resource, built-ins first; the same array until a CRD changes. */
  all(): readonly ResourceDef[] {
    this.served ??= [...this.builtins, ...[...this.custom.values()].flat()];
    return this.served;
  }

  setCrd(crd: KubeObject): void {
    this.custom.set(String(crd.metadata.name), resourcesFromCrd(crd));
    this.served = undefined;
  }

  removeCrd(name: string): ResourceDef[] {
    const defs = this.custom.get(name) ?? [];
    this.custom.delete(name);
    this.served = undefined;
    return defs;
  }

  crdResources(name: string): ResourceDef[] {
    return this.custom.get(name) ?? [];
  }

  find(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.all().find((d) => d.group === group && d.version === version && d.resource === resource);
  }

  /** The definition at the group's preferred version: the one objects are described by when no version is given. */
  preferred(group: string, resource: string): ResourceDef | undefined {
    const defs = this.all().filter((d) => d.group === group && d.resource === resource);
    return defs.find((d) => d.preferred) ?? defs[0];
  }

  /** The preferred version of the resource a store bucket (`group/resource`, store.ts) holds. */
  preferredOfBucket(bucket: string): ResourceDef | undefined {
    const split = bucket.lastIndexOf('/');
    return this.preferred(bucket.slice(0, split), bucket.slice(split + 1));
  }

  byKind(group: string, kind: string): ResourceDef | undefined {
    const defs = this.all().filter((d) => d.group === group && d.kind === kind);
    return defs.find((d) => d.preferred) ?? defs[0];
  }

  isBuiltinGroup(group: string): boolean {
    return this.builtins.some((d) => d.group === group);
  }

  hasGroupVersion(group: string, version: string): boolean {
    return this.all().some((d) => d.group === group && d.version === version);
  }

  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.all().filter((d) => d.group === group && d.version === version);
  }

  /** Named groups (not the core group) in first-seen order, each with its versions, preferred first. */
  groups(): GroupVersions[] {
    const order: string[] = [];
    const versions = new Map<string, { preferred?: string; all: string[] }>();
    for (const def of this.all()) {
      if (def.group === '') continue;
      let entry = versions.get(def.group);
      if (!entry) {
        entry = { all: [] };
        versions.set(def.group, entry);
        order.push(def.group);
      }
      if (!entry.all.includes(def.version)) entry.all.push(def.version);
      if (def.preferred) entry.preferred = def.version;
    }
    const sorted = order
      .map((group, index) => ({ group, index }))
      .sort((a, b) => groupRank(a.group) - groupRank(b.group) || a.index - b.index);
    return sorted.map(({ group }) => {
      const entry = versions.get(group)!;
      const preferred = entry.preferred ?? entry.all[0];
      return { group, versions: [preferred, ...entry.all.filter((v) => v !== preferred)] };
    });
  }
}
