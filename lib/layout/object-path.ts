// Where an object lives in the snapshot repository:
//   [<prefix>/]_cluster/<resource>[.<group>]/<name>.yaml    cluster-scoped
//   [<prefix>/]<namespace>/<resource>[.<group>]/<name>.yaml
// Every segment goes through name-encoding.ts, so no name can leave its folder.
import { UnsafeNameError } from '../errors/index.ts';
import { decodeName, decodeSegment, encodeName, encodeSegment, maxSegmentBytes } from './name-encoding.ts';

export interface ObjectIdentity {
  group: string;
  resource: string;
  namespace?: string;
  name: string;
}

/** An object as diff and restore report it: its identity, its kind and its file in the repository. */
export interface LocatedObject extends ObjectIdentity {
  /** The file in the snapshot repository. */
  path: string;
  /** The object's `kind` (`Deployment`). */
  kind: string;
}

const clusterFolder = '_cluster';
const extension = '.yaml';

function prefixSegments(prefix: string | undefined): string[] {
  if (!prefix) return [];
  const segments = prefix.split('/').filter((segment) => segment !== '');
  if (
    segments.some((segment) => segment === '.' || segment === '..' || segment.includes('\\') || segment.includes('\0'))
  ) {
    throw new UnsafeNameError(`The prefix "${prefix}" must be a plain relative folder path without "." or ".." parts.`);
  }
  return segments;
}

function requireName(value: string, what: string): string {
  if (value === '') throw new UnsafeNameError(`An object's ${what} is empty, so it has no path in the snapshot.`);
  return value;
}

/** Namespaces, resources and groups are short in Kubernetes (63 and 253 bytes): never split, refused if too long. */
function folderSegment(value: string, what: string): string {
  const segment = encodeSegment(value);
  if (segment.length > maxSegmentBytes)
    throw new UnsafeNameError(`The ${what} "${value.slice(0, 40)}..." is too long for a folder name.`);
  return segment;
}

function resourceFolder(resource: string, group: string): string {
  requireName(resource, 'resource');
  // The first `.` separates resource from group; plural resource names never contain one.
  if (resource.includes('.'))
    throw new UnsafeNameError(
      `The resource name "${resource}" contains a ".", which no Kubernetes resource name does.`,
    );
  const folder = folderSegment(resource, 'resource name');
  return group === '' ? folder : `${folder}.${folderSegment(group, 'API group')}`;
}

export function objectPath(id: ObjectIdentity, prefix?: string): string {
  const namespaceFolder =
    id.namespace === undefined || id.namespace === '' ? clusterFolder : folderSegment(id.namespace, 'namespace');
  const nameParts = encodeName(requireName(id.name, 'name'));
  nameParts[nameParts.length - 1] += extension;
  return [...prefixSegments(prefix), namespaceFolder, resourceFolder(id.resource, id.group), ...nameParts].join('/');
}

function parseResourceFolder(folder: string): { resource: string; group: string } | undefined {
  const dot = folder.indexOf('.');
  const resource = decodeSegment(dot === -1 ? folder : folder.slice(0, dot));
  const group = dot === -1 ? '' : decodeSegment(folder.slice(dot + 1));
  if (resource === undefined || group === undefined || resource.includes('.')) return undefined;
  return { resource, group };
}

/** The identity `objectPath` wrote at `path`; undefined for README.md and anything else. */
export function parseObjectPath(path: string, prefix?: string): ObjectIdentity | undefined {
  const expectedPrefix = prefixSegments(prefix);
  const segments = path.split('/');
  if (!expectedPrefix.every((segment, index) => segments[index] === segment)) return undefined;
  const [namespaceFolder, folder, ...nameParts] = segments.slice(expectedPrefix.length);
  if (namespaceFolder === undefined || folder === undefined || nameParts.length === 0) return undefined;
  const lastPart = nameParts[nameParts.length - 1];
  if (!lastPart.endsWith(extension)) return undefined;
  nameParts[nameParts.length - 1] = lastPart.slice(0, -extension.length);

  const name = decodeName(nameParts);
  const resourceAndGroup = parseResourceFolder(folder);
  if (name === undefined || resourceAndGroup === undefined) return undefined;
  const { resource, group } = resourceAndGroup;
  // Object literals, not spreads: a spread with more fields is several times slower here, for every path read.
  if (namespaceFolder === clusterFolder) return { resource, group, name };
  const namespace = decodeSegment(namespaceFolder);
  return namespace === undefined ? undefined : { resource, group, namespace, name };
}
