import { RepositoryError } from '../errors/index.ts';
import { parseApproxidate } from './approxidate.ts';
import { parseCommit, parseTagTarget } from './git-object.ts';
import type { ObjectReader } from './object-reader.ts';
import type { RefStore } from './refs.ts';
import { ZERO_ID } from './refs.ts';

function unknown(rev: string): RepositoryError {
  return new RepositoryError(`unknown revision '${rev}'`);
}

/** Ref names git would try for a short name, in git's order. */
function refCandidates(name: string): string[] {
  if (!/^[A-Za-z0-9._/+-]+$/.test(name) || name.includes('..') || name.startsWith('/') || name.endsWith('/')) return [];
  const candidates = /^[A-Z_]+$/.test(name) || name.startsWith('refs/') ? [name] : [];
  candidates.push(
    `refs/${name}`,
    `refs/tags/${name}`,
    `refs/heads/${name}`,
    `refs/remotes/${name}`,
    `refs/remotes/${name}/HEAD`,
  );
  return candidates;
}

/**
 * Resolves what git calls a revision to a commit id: full or short ids, HEAD, branches, tags (peeled),
 * `<ref>@{<date>}` and `<ref>@{<n>}` through the reflog, then any `~N`, `^N` suffixes.
 */
export function resolveRevision(rev: string, refs: RefStore, reader: ObjectReader): string {
  const match = /^(.*?)(?:@\{([^}]*)\})?((?:[~^]\d*)*)$/.exec(rev);
  if (!match || rev.length === 0) throw unknown(rev);
  const [, rawBase, reflogSelector, suffix] = match;
  const base = rawBase === '' || rawBase === '@' ? 'HEAD' : rawBase;

  let id: string | undefined;
  const refName = refCandidates(base).find((candidate) => refs.exists(candidate));
  if (reflogSelector !== undefined) {
    if (!refName) throw unknown(rev);
    id = fromReflog(refs, refName, reflogSelector, rev);
  } else if (/^[0-9a-f]{40}$/.test(base) && reader.has(base)) {
    id = base;
  } else if (refName) {
    id = refs.resolve(refName);
  } else if (/^[0-9a-f]{4,39}$/.test(base)) {
    const ids = reader.idsWithPrefix(base);
    if (ids.length > 1) throw new RepositoryError(`The short id '${base}' is ambiguous; give more characters.`);
    id = ids[0];
  }
  if (!id) throw unknown(rev);
  id = peelToCommit(id, reader, rev);

  for (const [, op, count] of suffix.matchAll(/([~^])(\d*)/g)) {
    const n = count === '' ? 1 : Number(count);
    if (op === '~') {
      for (let i = 0; i < n; i++) {
        id = parseCommit(reader.read(id).content).parents[0];
        if (!id) throw unknown(rev);
      }
    } else if (n > 0) {
      id = parseCommit(reader.read(id).content).parents[n - 1];
      if (!id) throw unknown(rev);
    }
  }
  return id;
}

function fromReflog(refs: RefStore, refName: string, selector: string, rev: string): string {
  const entries = refs.readReflog(refName);
  if (entries.length === 0) throw unknown(rev);
  if (/^\d+$/.test(selector) && selector.length < 8) {
    const entry = entries[entries.length - 1 - Number(selector)];
    if (!entry) throw unknown(rev);
    return entry.new;
  }
  const time = parseApproxidate(selector);
  if (time === undefined) throw unknown(rev);
  for (let i = entries.length - 1; i >= 0; i--) {
    if (entries[i].timestamp <= time) return entries[i].new;
  }
  // Older than the whole log: git answers with the oldest value it knows.
  return entries[0].old !== ZERO_ID ? entries[0].old : entries[0].new;
}

function peelToCommit(id: string, reader: ObjectReader, rev: string): string {
  for (let depth = 0; depth < 10; depth++) {
    const object = reader.tryRead(id);
    if (!object) throw unknown(rev);
    if (object.type === 'commit') return id;
    if (object.type !== 'tag') throw new RepositoryError(`The revision '${rev}' names a ${object.type}, not a commit.`);
    id = parseTagTarget(object.content);
  }
  throw unknown(rev);
}

/**
 * The merge base of two commits, as `git merge-base` finds it: of their common ancestors, the newest by committer time
 * (with times that grow along history, as kubesnap writes them, that is one no other common ancestor descends from).
 */
export function mergeBase(a: string, b: string, reader: ObjectReader): string | undefined {
  const ancestorsOfA = ancestors(a, reader);
  let best: { id: string; time: number } | undefined;
  for (const id of ancestors(b, reader)) {
    if (!ancestorsOfA.has(id)) continue;
    const time = parseCommit(reader.read(id).content).committer.timestamp;
    if (!best || time > best.time) best = { id, time };
  }
  return best?.id;
}

function ancestors(start: string, reader: ObjectReader): Set<string> {
  const seen = new Set<string>([start]);
  for (const pending = [start]; pending.length > 0; ) {
    for (const parent of parseCommit(reader.read(pending.pop()!).content).parents) {
      if (!seen.has(parent)) {
        seen.add(parent);
        pending.push(parent);
      }
    }
  }
  return seen;
}
