// raw object -> clean object, or a skip with its reason.
//
// Two sources of "what did the user ask for":
// - every user manager used server-side apply: keep exactly the fields they applied (managedFields
//   then hold the user's intent and none of the server's defaults);
// - otherwise (kubectl create/edit/scale, client-side apply, no managedFields): keep everything.
// Then, in both cases, the per-kind rules strip server-assigned values and defaults. Running them
// after an apply too matters for atomic fields (a StatefulSet's volumeClaimTemplates are owned whole,
// defaults included) and makes normalising a normalised object (which has no managedFields) a no-op.
import { redactSecret } from '../secrets/redact.ts';
import type { JsonMap } from './fields.ts';
import { kindRule } from './kinds/index.ts';
import { mergeFieldSets, pruneToFields, readIntent, type FieldSet } from './managed-fields.ts';
import { copyWithoutServerState, dropEmptyMetadataMaps } from './metadata.ts';
import { objectSkipReason } from './skip-reasons.ts';
import type { KubeObject, NormalizeOptions, NormalizeResult, ResourceInfo } from './types.ts';

// Identity is never in managedFields but always part of the object.
const identityFields: FieldSet = {
  'f:apiVersion': {},
  'f:kind': {},
  'f:metadata': { 'f:name': {}, 'f:namespace': {} },
};

/** A Secret's stringData is write-only: the server moves it into data, which is what we read back. */
function appliedSecretFields(fields: FieldSet): FieldSet {
  const stringData = fields['f:stringData'];
  return stringData ? mergeFieldSets(fields, { 'f:data': stringData }) : fields;
}

function isSecret(info: ResourceInfo): boolean {
  return info.group === '' && info.kind === 'Secret';
}

/** The object to edit: a copy without server state, apiVersion and kind first (list items come without them). */
function editableCopy(raw: KubeObject, info: ResourceInfo): JsonMap {
  const typeMeta = {
    apiVersion: raw.apiVersion ?? (info.group === '' ? info.version : `${info.group}/${info.version}`),
    kind: raw.kind ?? info.kind,
  };
  return copyWithoutServerState(raw, typeMeta);
}

export function normalizeObject(raw: KubeObject, info: ResourceInfo, options?: NormalizeOptions): NormalizeResult {
  const reason = objectSkipReason(raw, info, options);
  if (reason !== undefined) return { action: 'skip', reason };

  const intent = readIntent(raw.metadata.managedFields);
  let object = editableCopy(raw, info);
  if (intent.appliedFields) {
    const applied = isSecret(info) ? appliedSecretFields(intent.appliedFields) : intent.appliedFields;
    object = pruneToFields(object, mergeFieldSets(applied, identityFields)) as JsonMap;
  }
  kindRule(info.group, info.kind)?.(object, { userFields: intent.userFields });
  if (isSecret(info) && (options?.secrets ?? 'redact') === 'redact') {
    if (!options?.digestKey) throw new Error('redacting Secret values needs normalize.digestKey');
    object = redactSecret(object, options.digestKey);
  }
  dropEmptyMetadataMaps(object);
  return { action: 'keep', object: object as KubeObject };
}
