// The JSON form of a change set, for machines. Schema (version "kubesnap.diff/v1"):
//
//   {
//     "schema": "kubesnap.diff/v1",
//     "from": { "revision": string, "commit": string | null },   // commit null: the empty tree before the first commit
//     "to":   { "revision": string, "commit": string | null },   // revision "live" and commit null: the live cluster
//     "summary": {
//       "created": number, "changed": number, "deleted": number,
//       "rows": [ { "namespace": string | null, "kind": string, "created": number, "changed": number, "deleted": number } ]
//     },
//     "objects": [                                                // sorted by path
//       {
//         "group": string,                                        // "" for the core group
//         "kind": string,                                         // "Deployment"
//         "namespace": string | null,                             // null for cluster-scoped objects
//         "name": string,
//         "path": string,                                         // the file in the snapshot repository
//         "change": "created" | "changed" | "deleted",
//         "operations": [ RFC 6902 operations ]                   // turn the FROM object into the TO object; a missing
//       }                                                         // object is {} (created: adds, deleted: removes every field)
//     ]
//   }
//
// Secret values in "operations" are digests (`hmac-sha256:`, or `sha256:` in repositories written before digests were keyed), or "(hidden)" / "(value changed)" for values stored readable.
import jsonPatch from 'fast-json-patch';
import { countChanges, summarize } from './summary.ts';
import type { ChangeSet } from './types.ts';

export function renderJson(changeSet: ChangeSet): string {
  const document = {
    schema: 'kubesnap.diff/v1',
    from: { revision: changeSet.from.label, commit: changeSet.from.commit ?? null },
    to: { revision: changeSet.to.label, commit: changeSet.to.commit ?? null },
    summary: {
      ...countChanges(changeSet),
      rows: summarize(changeSet).map((row) => ({ ...row, namespace: row.namespace ?? null })),
    },
    objects: changeSet.objects.map((object) => ({
      group: object.group,
      kind: object.kind,
      namespace: object.namespace ?? null,
      name: object.name,
      path: object.path,
      change: object.change,
      operations: jsonPatch.compare(object.before ?? {}, object.after ?? {}),
    })),
  };
  return JSON.stringify(document, null, 2) + '\n';
}
