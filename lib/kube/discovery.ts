import { mapWithConcurrency } from '../concurrency/index.ts';
import { ApiError } from './api-error.ts';
import type { KubeClient } from './client.ts';

/** One resource the API server serves, at its group's preferred version. */
export interface ApiResource {
  group: string;
  version: string;
  resource: string;
  kind: string;
  singularName: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
}

/** A group/version whose resources could not be read, and why. */
export interface DiscoveryFailure {
  groupVersion: string;
  reason: string;
}

/** The API groups whose discovery failed (`''` for the core group): what they serve is unknown, not gone. */
export function failedGroups(failures: readonly DiscoveryFailure[]): Set<string> {
  return new Set(failures.map((f) => (f.groupVersion.includes('/') ? f.groupVersion.split('/')[0] : '')));
}

export interface DiscoveryResult {
  resources: ApiResource[];
  failures: DiscoveryFailure[];
}

interface APIResourceList {
  resources: Array<{
    name: string;
    singularName?: string;
    namespaced: boolean;
    kind: string;
    verbs?: string[];
    shortNames?: string[];
    categories?: string[];
  }>;
}

/**
 * Legacy discovery (/api, /apis, then one request per preferred group/version): a group that fails
 * (an aggregated API answering 503, a 403) is reported and skipped, never fatal.
 */
export async function discoverResources(
  client: KubeClient,
  options: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<DiscoveryResult> {
  const core = await client.json<{ versions: string[] }>('GET', '/api', { signal: options.signal });
  const groups = await client.json<{
    groups: Array<{ name: string; preferredVersion?: { version: string }; versions: Array<{ version: string }> }>;
  }>('GET', '/apis', { signal: options.signal });
  const targets: Array<{ group: string; version: string; path: string }> = [];
  if (core.versions?.includes('v1')) targets.push({ group: '', version: 'v1', path: '/api/v1' });
  for (const group of groups.groups ?? []) {
    const version = group.preferredVersion?.version ?? group.versions[0]?.version;
    if (version) targets.push({ group: group.name, version, path: `/apis/${group.name}/${version}` });
  }
  const failures: DiscoveryFailure[] = [];
  const perGroup = await mapWithConcurrency(targets, options.concurrency ?? 8, async (target) => {
    try {
      const list = await client.json<APIResourceList>('GET', target.path, { signal: options.signal });
      return list.resources
        .filter((entry) => !entry.name.includes('/'))
        .map(
          (entry): ApiResource => ({
            group: target.group,
            version: target.version,
            resource: entry.name,
            kind: entry.kind,
            singularName: entry.singularName || entry.kind.toLowerCase(),
            namespaced: entry.namespaced,
            verbs: entry.verbs ?? [],
            shortNames: entry.shortNames ?? [],
            categories: entry.categories ?? [],
          }),
        );
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      failures.push({
        groupVersion: target.group ? `${target.group}/${target.version}` : target.version,
        reason: `${error.status} ${error.reason}`.trim(),
      });
      return [];
    }
  });
  failures.sort((a, b) => a.groupVersion.localeCompare(b.groupVersion));
  return { resources: perGroup.flat(), failures };
}

/** `deployments.apps`, or `configmaps` for the core group: the spelling kubectl and the snapshot layout use. */
export function qualifiedResourceName(resource: Pick<ApiResource, 'group' | 'resource'>): string {
  return resource.group ? `${resource.resource}.${resource.group}` : resource.resource;
}

export function apiVersionOf(resource: Pick<ApiResource, 'group' | 'version'>): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

/** The URL path of a resource collection, optionally in one namespace. */
export function collectionPath(
  resource: Pick<ApiResource, 'group' | 'version' | 'resource' | 'namespaced'>,
  namespace?: string,
): string {
  const base = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const scope = resource.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${scope}/${resource.resource}`;
}
