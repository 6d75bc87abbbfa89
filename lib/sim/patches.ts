// Turns a PATCH body into the patched object, for every patch type the real server accepts.
import fastJsonPatch from 'fast-json-patch';
import { load } from 'js-yaml';
import { mergePatch, strategicMergePatch } from './merge-patch.ts';
import { badRequest, patchRejected, unsupportedMediaType } from './status.ts';
import type { KubeObject, ResourceDef } from './types.ts';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = PATCH_TYPES[(contentType ?? '').split(';')[0].trim()];
  if (!type) throw unsupportedMediaType(contentType ?? '', Object.keys(PATCH_TYPES));
  return type;
}

export function parsePatchBody(type: PatchType, text: string): unknown {
  try {
    return type === 'apply' ? load(text) : JSON.parse(text);
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Applies a json, merge or strategic patch to `current`; a failed JSON-Patch test is 422 as on the real server. */
export function applyPatch(
  def: ResourceDef,
  builtin: boolean,
  type: Exclude<PatchType, 'apply'>,
  current: KubeObject,
  patch: unknown,
): KubeObject {
  if (type === 'json') {
    if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    try {
      return fastJsonPatch.applyPatch(structuredClone(current), patch as fastJsonPatch.Operation[], true, false)
        .newDocument as KubeObject;
    } catch (error) {
      if ((error as { name?: string }).name === 'TEST_OPERATION_FAILED') throw patchRejected();
      throw patchRejected();
    }
  }
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch))
    throw badRequest('patch body must be a JSON object');
  if (type === 'strategic') {
    // Custom resources have no strategic merge information; the real server refuses the patch type for them.
    if (!builtin)
      throw unsupportedMediaType('application/strategic-merge-patch+json', [
        'application/json-patch+json',
        'application/merge-patch+json',
        'application/apply-patch+yaml',
      ]);
    return strategicMergePatch(def, structuredClone(current), patch) as KubeObject;
  }
  return mergePatch(structuredClone(current), patch) as KubeObject;
}
