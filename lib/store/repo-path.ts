import { RepositoryError } from '../errors/index.ts';

/**
 * Splits a '/'-separated path inside the snapshot repository into its segments, refusing anything that
 * could land outside it or inside .git: a leading '/', empty, '.' or '..' segments, '.git', NUL.
 */
export function splitRepoPath(path: string): string[] {
  const refuse = (why: string) => new RepositoryError(`Refusing the path "${path.replace(/\0/g, '\\0')}": ${why}.`);
  if (path.includes('\0')) throw refuse('it contains a NUL byte');
  if (path.startsWith('/')) throw refuse('it is absolute');
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') throw refuse('it has an empty segment');
    if (segment === '.' || segment === '..') throw refuse(`it has a "${segment}" segment`);
    if (segment.toLowerCase() === '.git') throw refuse('it has a ".git" segment');
  }
  return segments;
}
