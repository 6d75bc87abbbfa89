export { objectPath, parseObjectPath, type ObjectIdentity, type LocatedObject } from './object-path.ts';
export { serializeObject, parseObject } from './serialize.ts';
export { ManifestError } from './manifest-error.ts';
