/** `Deployment/shop/web`, `ClusterRole/view`: how every message of a restore names an object. */
export function objectRef(kind: string, namespace: string | undefined, name: string): string {
  return namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}
