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
export { collectImageInventory, type ImageInventory } from './inventory.ts';
export { mirrorImages, parseMirrorTarget, type MirrorResult } from './mirror.ts';
export { effectiveTag, formatImageReference, parseImageReference } from './reference.ts';
export { manifestMediaTypes, RegistryClient, sha256Digest, type Manifest } from './registry-client.ts';
export { rewriteImageReferences, type ImageRegistryMapping } from './rewrite.ts';
