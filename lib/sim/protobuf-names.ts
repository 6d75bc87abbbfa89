// Names of the k8s.io protobuf messages, full (as descriptors spell them) and short (as the field table does).

/**
 * The full message name of a kind in a Kubernetes API group: the package is the group's first label (core for the
 * legacy group). Groups outside Kubernetes' own (neither one label nor under k8s.io) have none.
 */
export function protobufMessageName(group: string, version: string, kind: string): string | undefined {
  if (group.includes('.') && !group.endsWith('.k8s.io')) return undefined;
  return `.k8s.io.api.${group === '' ? 'core' : group.split('.')[0]}.${version}.${kind}`;
}

/** `.k8s.io.api.apps.v1.Deployment` → `apps.v1.Deployment`, `.k8s.io.apimachinery.pkg.apis.meta.v1.Time` → `apis.meta.v1.Time`. */
export function shortMessageName(full: string): string {
  return full.replace(/^\.k8s\.io\.(api|apimachinery\.pkg)\./, '');
}
