export { objectPath, parseObjectPath, type ObjectIdentity, type LocatedObject } from './object-path.ts';
export { serializeObject } from './serialize.ts';
export { parseObject, parseDocuments, maxManifestBytes, maxManifestDepth } from './parse-manifest.ts';
export { identityMismatch } from './manifest-identity.ts';
export { ManifestError, ManifestLimitError } from './manifest-error.ts';
