import { RepositoryError } from '../errors/index.ts';

/** Why a path segment could land outside the repository or inside .git; undefined when it is safe. */
function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'it has an empty segment';
  if (segment === '.' || segment === '..') return `it has a "${segment}" segment`;
  if (segment.length === 4 && segment.toLowerCase() === '.git') return 'it has a ".git" segment';
  return undefined;
}

function refused(path: string, why: string): RepositoryError {
  return new RepositoryError(`Refusing the path "${path.replace(/\0/g, '\\0')}": ${why}.`);
}

/**
 * Splits a '/'-separated path inside the snapshot repository into its segments, refusing anything that
 * could land outside it or inside .git: a leading '/', empty, '.' or '..' segments, '.git', NUL.
 */
export function splitRepoPath(path: string): string[] {
  if (path.includes('\0')) throw refused(path, 'it contains a NUL byte');
  if (path.startsWith('/')) throw refused(path, 'it is absolute');
  const segments = path.split('/');
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem) throw refused(path, problem);
  }
  return segments;
}

/** The file name of `path` checked as splitRepoPath checks every segment, for a path whose folder was already checked. */
export function checkFileName(path: string, name: string): void {
  if (name.includes('\0')) throw refused(path, 'it contains a NUL byte');
  const problem = segmentProblem(name);
  if (problem) throw refused(path, problem);
}
