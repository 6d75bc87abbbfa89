/** `deploy/web` → kind and name as kubectl reads a resource argument; undefined for anything else. */
export function parseKindName(spec: string): { kind: string; name: string } | undefined {
  const [kind, name, ...rest] = spec.split('/');
  return kind && name && rest.length === 0 ? { kind, name } : undefined;
}
