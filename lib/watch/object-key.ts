// An object's key within its resource, as client-go's MetaNamespaceKeyFunc spells it: `namespace/name`, or `name`
// for a cluster-scoped object. Neither part may contain a slash, so the key splits back unambiguously.

export interface ObjectName {
  namespace?: string;
  name: string;
}

export function objectKey({ metadata }: { metadata: ObjectName }): string {
  return metadata.namespace ? `${metadata.namespace}/${metadata.name}` : metadata.name;
}

export function splitObjectKey(key: string): ObjectName {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
