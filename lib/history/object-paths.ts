import type { ApiResource } from '../kube/index.ts';
import { objectPath, parseObjectPath } from '../layout/index.ts';
import { isNamespacesResource } from '../selection/index.ts';

export interface ObjectPathsOptions {
  prefix?: string;
  /** Namespaces outside the selection are neither written nor deleted (`-n`, `--exclude-namespace`). */
  namespaceSelected?: (namespace: string | undefined) => boolean;
}

type ObjectMetadata = { metadata: { namespace?: string; name: string } };

/** Where a `HistoryWriter` keeps an object (its file's path under the prefix), and whether its namespace is selected. */
export class ObjectPaths {
  constructor(private readonly options: ObjectPathsOptions) {}

  selected(resource: ApiResource, object: ObjectMetadata): boolean {
    const key = namespaceKey(resource, {
      namespace: resource.namespaced ? object.metadata.namespace : undefined,
      name: object.metadata.name,
    });
    return !this.options.namespaceSelected || this.options.namespaceSelected(key);
  }

  of(resource: ApiResource, object: ObjectMetadata): string {
    return objectPath(
      {
        group: resource.group,
        resource: resource.resource,
        namespace: resource.namespaced ? object.metadata.namespace : undefined,
        name: object.metadata.name,
      },
      this.options.prefix,
    );
  }

  /** Those of `paths` that hold an object of `resource` in `namespace` (undefined: in any), in a selected namespace. */
  *ofResource(resource: ApiResource, namespace: string | undefined, paths: Iterable<string>): Iterable<string> {
    for (const path of paths) {
      const identity = parseObjectPath(path, this.options.prefix);
      if (!identity || identity.group !== resource.group || identity.resource !== resource.resource) continue;
      if (namespace !== undefined && identity.namespace !== namespace) continue;
      if (this.options.namespaceSelected && !this.options.namespaceSelected(namespaceKey(resource, identity))) continue;
      yield path;
    }
  }
}

/** The namespace an object belongs to for selection: its own, or for a Namespace object the one it names. */
function namespaceKey(
  resource: Pick<ApiResource, 'group' | 'resource'>,
  identity: { namespace?: string; name: string },
): string | undefined {
  return isNamespacesResource(resource) ? identity.name : identity.namespace;
}
