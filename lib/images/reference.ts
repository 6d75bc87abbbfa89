// Image references as Docker reads them (github.com/distribution/reference): the first path component
// is a registry only when it has a `.` or `:`, is `localhost`, or has upper-case letters; otherwise the
// registry is docker.io, where a one-component name lives under `library/`.
import { ImageReferenceError } from './errors.ts';

export interface ImageReference {
  /** `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** `library/nginx`, `jetstack/cert-manager-controller`. */
  repository: string;
  /** As written; see `effectiveTag` for the `latest` default. */
  tag?: string;
  /** `sha256:<64 hex>`. */
  digest?: string;
}

export const defaultRegistry = 'docker.io';
const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const registryPattern =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;

function looksLikeRegistry(component: string): boolean {
  return /[.:]/.test(component) || component === 'localhost' || component !== component.toLowerCase();
}

export function parseImageReference(text: string): ImageReference {
  const invalid = (why: string) => new ImageReferenceError(`The image reference "${text}" is not valid: ${why}.`);
  if (text === '' || text !== text.trim()) throw invalid('it is empty or has surrounding spaces');
  const at = text.indexOf('@');
  const name = at === -1 ? text : text.slice(0, at);
  const digest = at === -1 ? undefined : text.slice(at + 1);
  if (
    digest !== undefined &&
    (!digestPattern.test(digest) || (digest.startsWith('sha256:') && !/^sha256:[a-f0-9]{64}$/.test(digest)))
  ) {
    throw invalid(`"${digest}" is not a digest like sha256:<64 hex digits>`);
  }
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  const path = hasTag ? name.slice(0, colon) : name;
  const tag = hasTag ? name.slice(colon + 1) : undefined;
  if (tag !== undefined && !tagPattern.test(tag))
    throw invalid(`"${tag}" is not a tag (letters, digits, _ . -, at most 128)`);

  const slash = path.indexOf('/');
  const first = slash === -1 ? '' : path.slice(0, slash);
  let registry = defaultRegistry;
  let repository = path;
  if (slash !== -1 && looksLikeRegistry(first)) {
    registry = first === 'index.docker.io' ? defaultRegistry : first;
    repository = path.slice(slash + 1);
  }
  if (!registryPattern.test(registry)) throw invalid(`"${registry}" is not a registry host`);
  if (registry === defaultRegistry && !repository.includes('/')) repository = `library/${repository}`;
  if (repository.split('/').some((component) => !pathComponent.test(component))) {
    throw invalid('a repository name has only lower-case letters, digits and single separators (. _ __ -) between /');
  }
  if (`${registry}/${repository}`.length > 255) throw invalid('the name is longer than 255 characters');
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The tag Docker pulls: the written one, or `latest` when neither a tag nor a digest is written. */
export function effectiveTag(reference: ImageReference): string | undefined {
  return reference.tag ?? (reference.digest ? undefined : 'latest');
}

/** The fully qualified spelling: `docker.io/library/nginx:1.27@sha256:…` (the tag only as written). */
export function formatImageReference(reference: ImageReference): string {
  return `${reference.registry}/${reference.repository}${reference.tag !== undefined ? `:${reference.tag}` : ''}${reference.digest ? `@${reference.digest}` : ''}`;
}
