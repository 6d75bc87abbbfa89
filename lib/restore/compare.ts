// One object's plan: the committed manifest against what is live, both normalised.
import { fieldChanges } from '../json/field-changes.ts';
import type { ApiResource } from '../kube/index.ts';
import { normalizeObject, type KubeObject, type NormalizeOptions } from '../normalize/index.ts';
import { isEncryptedSecret, isRedactedValue, maskSecretValues } from '../secrets/index.ts';
import { withLiveAssignedFields } from './assigned-fields.ts';
import { comparePatch, livePatchFor } from './live-patch.ts';
import { keepLiveFields, type Neighbours } from './neighbours.ts';
import type { PlannedObject } from './types.ts';

export type ObjectDecision = Pick<
  PlannedObject,
  'action' | 'reason' | 'fields' | 'normalizedPatch' | 'livePatch' | 'warnings'
>;

const REDACTED_REASON = "cannot restore redacted values: the revision holds only digests of this Secret's values";
const ENCRYPTED_REASON = 'cannot restore encrypted values without --age-identity';

function isSecret(resource: ApiResource): boolean {
  return resource.group === '' && resource.kind === 'Secret';
}

function containsRedacted(value: unknown): boolean {
  if (isRedactedValue(value)) return true;
  if (Array.isArray(value)) return value.some(containsRedacted);
  if (value !== null && typeof value === 'object') return Object.values(value).some(containsRedacted);
  return false;
}

function secretValuesOf(object: KubeObject): unknown[] {
  return [object.data, object.stringData];
}

export function decide(
  desired: KubeObject,
  live: KubeObject | undefined,
  resource: ApiResource,
  normalize: NormalizeOptions,
  neighbours: Neighbours,
): ObjectDecision {
  const none = { fields: [], normalizedPatch: [], livePatch: [], warnings: [] };
  // Decrypted while reading the revision when an identity was given; still encrypted means none was.
  if (isSecret(resource) && isEncryptedSecret(desired))
    return { ...none, action: 'blocked', reason: `${ENCRYPTED_REASON}.` };
  const redacted = isSecret(resource) && containsRedacted(secretValuesOf(desired));
  if (!live) {
    if (redacted) return { ...none, action: 'blocked', reason: `${REDACTED_REASON}, and it is missing live.` };
    return { ...none, action: 'create' };
  }
  // A Secret is compared in the form it was committed in: digests against digests, readable against readable.
  const options: NormalizeOptions = isSecret(resource)
    ? { ...normalize, secrets: redacted ? 'redact' : 'plain' }
    : normalize;
  const normalized = normalizeObject(live, resource, {
    ...options,
    include: new Set([...(options.include ?? []), 'owned']),
  });
  if (normalized.action === 'skip') {
    return {
      ...none,
      action: 'blocked',
      reason: `the live object is left out by policy (${normalized.reason}), so restore leaves it alone.`,
    };
  }
  const assigned = withLiveAssignedFields(desired, normalized.object, resource.group);
  const { committed, warnings } = keepLiveFields(
    assigned,
    normalized.object,
    neighbours.keptFields(live, resource),
    isSecret(resource),
  );
  const normalizedPatch = comparePatch(normalized.object, committed);
  if (normalizedPatch.length === 0) return { ...none, warnings, action: 'unchanged' };
  const livePatch = livePatchFor(live, normalized.object, committed);
  if (livePatch.length === 0) return { ...none, warnings, action: 'unchanged' };
  const masked = maskSecretValues(normalized.object, committed);
  const fields = fieldChanges(masked.before, masked.after);
  if (isSecret(resource) && livePatch.some((operation) => containsRedacted(operation.value))) {
    return { ...none, fields, warnings, action: 'blocked', reason: `${REDACTED_REASON}, and they differ live.` };
  }
  return { action: 'update', fields, normalizedPatch, livePatch, warnings };
}
