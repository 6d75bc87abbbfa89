import { UsageError } from '../errors/index.ts';
import type { ApiResource } from './discovery.ts';

/**
 * Resolves a resource as kubectl spells it — `deploy`, `deployment`, `deployments`, `Deployment`,
 * `deployments.apps`, `deployments.v1.apps` — to the served resources it names. Spellings without
 * a group may match several groups (`events` is core and events.k8s.io); all of them are returned.
 */
export function resolveResourceSpelling(resources: readonly ApiResource[], spelling: string): ApiResource[] {
  const [name, ...rest] = spelling.split('.');
  const lowerName = name.toLowerCase();
  const qualifier = rest.join('.');
  const matches = resources.filter((resource) => {
    const names = [
      resource.resource,
      resource.singularName,
      resource.kind.toLowerCase(),
      ...resource.shortNames.map((s) => s.toLowerCase()),
    ];
    if (!names.includes(lowerName)) return false;
    if (!qualifier) return true;
    return (
      qualifier === resource.group ||
      qualifier === `${resource.version}.${resource.group}` ||
      (resource.group === '' && qualifier === resource.version)
    );
  });
  if (matches.length === 0) throw new UsageError(`the server doesn't have a resource type "${spelling}".`);
  // A bare spelling that names a core resource means the core one, as kubectl does (`events` = core events).
  if (
    !qualifier &&
    matches.length > 1 &&
    matches.some((m) => m.group === '' && (m.resource === lowerName || m.shortNames.includes(lowerName)))
  ) {
    return matches.filter((m) => m.group === '');
  }
  return matches;
}
