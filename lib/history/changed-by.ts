// Who a commit says changed an object, read back from the message watch-message.ts writes.
const CHANGED_BY = /^Kubesnap-Changed-By:[ \t]*(.+?)\s*$/gm;
/**
 * The end of a watch body line: `  by kubectl-edit at 10:42:07Z`, perhaps followed by `  (reason)`. A manager may
 * hold single spaces (`kubesnap-restore (alice)`); the last `  by ` starts it, as field values come before it.
 */
const BY_ON_LINE = /^.* {2}by (.+?)(?: at \d\d:\d\d:\d\dZ)?(?: {2}\(.*\))?$/;

/**
 * The manager(s) a commit names for one object (`path`) or for all its changes: the object's own body line of a watch
 * commit (`updated shop/configmaps/web  data.k 1→2  by kubectl-edit at 10:42:07Z`), else the commit's
 * `Kubesnap-Changed-By:` trailers. Undefined for a deletion: a watch sees an object go, never who removed it.
 */
export function changedBy(message: string, change?: { path: string; deleted: boolean }): string | undefined {
  if (change?.deleted) return undefined;
  if (change) {
    const object = change.path.replace(/\.yaml$/, '');
    const line = message.split('\n').find((text) => {
      const rest = /^(?:created|updated) (.*)$/.exec(text)?.[1];
      return rest !== undefined && (rest === object || rest.startsWith(`${object}  `));
    });
    if (line) return BY_ON_LINE.exec(line)?.[1];
  }
  const managers = [...new Set([...message.matchAll(CHANGED_BY)].map((match) => match[1]))];
  return managers.length ? managers.join(', ') : undefined;
}
