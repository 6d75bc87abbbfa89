/**
 * lib/images — the container images a snapshot revision refers to, copying them to another registry,
 * and rewriting image registries in manifests (for restore).
 *
 *   parseImageReference('nginx')                        → { registry: 'docker.io', repository: 'library/nginx' } (throws ImageReferenceError)
 *   effectiveTag(ref) / formatImageReference(ref)
 *   await collectImageInventory(repository, { revision?, prefix? }) → { commit, images: InventoryImage[], invalid }
 *   await mirrorImages(images, { to, fromInsecure?, toInsecure?, chunkBytes?, onImageStarted?, onImageDone? }) → MirrorResult
 *   rewriteImageReferences(object, [{ from: 'docker.io', to: 'mirror.local' }]) → a rewritten copy (pure)
 *   new RegistryClient(registry, { insecure? })         → the OCI distribution API, one registry
 */
export { ImageReferenceError, RegistryError } from './errors.ts';
export {
  collectImageInventory,
  type ImageInventory,
  type ImageUse,
  type InventoryImage,
  type InventoryOptions,
} from './inventory.ts';
export {
  mirrorImages,
  parseMirrorTarget,
  type MirroredImage,
  type MirrorOptions,
  type MirrorResult,
} from './mirror.ts';
export { containersOf, podSpecsOf, workloadResources, type ContainerEntry, type ContainerField } from './pod-specs.ts';
export {
  defaultRegistry,
  effectiveTag,
  formatImageReference,
  parseImageReference,
  type ImageReference,
} from './reference.ts';
export {
  manifestMediaTypes,
  RegistryClient,
  sha256Digest,
  type Manifest,
  type RegistryClientOptions,
} from './registry-client.ts';
export { rewriteImageReferences, type ImageRegistryMapping } from './rewrite.ts';
