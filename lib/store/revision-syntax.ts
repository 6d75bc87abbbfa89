// How git spells ranges and files of a revision; pure text, so the CLI reads it without loading the store.

/** `A..B` (what B has that A lacks) or `A...B` (since A and B parted: from their merge base); an empty side is HEAD. */
export interface RevisionRange {
  from: string;
  to: string;
  symmetric: boolean;
}

/** A range as git spells it, or undefined for a single revision. The `..` inside `@{...}` is not a range. */
export function parseRevisionRange(text: string): RevisionRange | undefined {
  const match = /^((?:[^.@]|\.(?!\.)|@(?!\{)|@\{[^}]*\})*)(\.\.\.?)(.*)$/.exec(text);
  if (!match) return undefined;
  return { from: match[1] || 'HEAD', to: match[3] || 'HEAD', symmetric: match[2] === '...' };
}

/** `REV:PATH` → [REV, PATH] (as `git show` reads it); the `:` inside `main@{2026-11-20 10:00}` belongs to the revision. */
export function splitRevisionPath(spec: string): [string, string | undefined] {
  const match = /^((?:[^:@]|@(?!\{)|@\{[^}]*\})*)(?::(.*))?$/.exec(spec);
  if (!match) return [spec, undefined];
  return [match[1] || 'HEAD', match[2]];
}
