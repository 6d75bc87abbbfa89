// `restore --image-registry-map FROM=TO`: move image references from one registry (or registry path)
// to another, in every pod spec of an object. Pure: returns a rewritten copy.
import { parseImageReference } from './reference.ts';
import { containersOf, podSpecsOf } from './pod-specs.ts';

export interface ImageRegistryMapping {
  /** `docker.io`, `quay.io/jetstack`, `registry.example.com:5000`. */
  from: string;
  /** `mirror.example.com`, `mirror.example.com/dockerhub`. */
  to: string;
}

/**
 * Rewrites the image of every container whose fully qualified name (`docker.io/library/nginx` for
 * `nginx`) is `from` or lies under `from/`, with the longest matching `from` winning. Tag and digest stay
 * as written; references that do not parse and images that match no mapping are left alone.
 */
export function rewriteImageReferences<T extends object>(object: T, map: ReadonlyArray<ImageRegistryMapping>): T {
  const mappings = map
    .map(({ from, to }) => ({ from: from.replace(/\/+$/, ''), to: to.replace(/\/+$/, '') }))
    .sort((a, b) => b.from.length - a.from.length);
  const copy = structuredClone(object);
  for (const spec of podSpecsOf(copy)) {
    for (const { container } of containersOf(spec)) {
      if (typeof container.image !== 'string') continue;
      const rewritten = rewriteImage(container.image, mappings);
      if (rewritten !== undefined) container.image = rewritten;
    }
  }
  return copy;
}

function rewriteImage(image: string, mappings: ReadonlyArray<ImageRegistryMapping>): string | undefined {
  let reference;
  try {
    reference = parseImageReference(image);
  } catch {
    return undefined;
  }
  const name = `${reference.registry}/${reference.repository}`;
  const mapping = mappings.find(({ from }) => name === from || name.startsWith(`${from}/`));
  if (!mapping) return undefined;
  return `${mapping.to}${name.slice(mapping.from.length)}${reference.tag !== undefined ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
}
