// The change to a live object that makes its normalised form equal the committed one.
//
// Normalisation only removes: server metadata, status, values the cluster assigned, defaults, list
// elements it injected (a Pod's kube-api-access volume). So the normalised live object is a "shrunk"
// copy of the live one, and a patch computed between normalised forms cannot be sent as it is: its
// list indices count the shrunk lists, and a list it replaces whole would drop what normalisation
// hid (a Service port's nodePort). Instead the committed object is laid over the live one — a field
// the normalised side does not have is left as it is live — and the patch is computed on live.
import fastJsonPatch from 'fast-json-patch';
import type { JsonPatchOperation } from '../kube/index.ts';

import { deepEqual, isJsonMap, uniqueNames, type JsonMap } from '../json/index.ts';

type Json = unknown;

/** Is `part` what normalisation could have made of `whole` (every field it has, equal or itself contained)? */
function contains(whole: Json, part: Json): boolean {
  if (deepEqual(whole, part)) return true;
  if (isJsonMap(whole) && isJsonMap(part))
    return Object.entries(part).every(([key, value]) => key in whole && contains(whole[key], value));
  if (Array.isArray(whole) && Array.isArray(part)) return matchElements(whole, part) !== undefined;
  return false;
}

/**
 * For each element of the normalised list, the index of the live element it came from: normalisation
 * keeps order and only drops elements, so this is an in-order match of each to the next live element
 * containing it. Undefined when some element has no source (the lists are not related that way).
 */
function matchElements(live: readonly Json[], normalized: readonly Json[]): number[] | undefined {
  const sources: number[] = [];
  let next = 0;
  for (const element of normalized) {
    while (next < live.length && !contains(live[next], element)) next++;
    if (next === live.length) return undefined;
    sources.push(next++);
  }
  return sources;
}

/** Which normalised element each committed element replaces: by `name` in named lists, else by position. */
function pairElements(normalized: readonly Json[], committed: readonly Json[]): Array<number | undefined> {
  const normalizedNames = uniqueNames(normalized);
  const committedNames = uniqueNames(committed);
  if (normalizedNames && committedNames)
    return committedNames.map((name) => {
      const i = normalizedNames.indexOf(name);
      return i >= 0 ? i : undefined;
    });
  return committed.map((_element, index) => (index < normalized.length ? index : undefined));
}

function overlayList(live: Json[], normalized: Json[], committed: Json[]): Json[] {
  const sources = matchElements(live, normalized);
  if (!sources) return structuredClone(committed);
  const pairs = pairElements(normalized, committed);
  const result = committed.map((element, index) => {
    const paired = pairs[index];
    return paired === undefined
      ? structuredClone(element)
      : overlay(live[sources[paired]], normalized[paired], element);
  });
  // Live elements normalisation hid stay, at their place as far as the list allows.
  const hidden = new Set(sources);
  live.forEach((element, index) => {
    if (!hidden.has(index)) result.splice(Math.min(index, result.length), 0, structuredClone(element));
  });
  return result;
}

/** What is left of a live map or list once the part normalisation showed is removed; undefined when nothing is. */
function withoutShown(live: Json, normalized: Json): Json | undefined {
  let rest: Json;
  if (isJsonMap(live) && isJsonMap(normalized)) rest = overlay(live, normalized, {});
  else if (Array.isArray(live) && Array.isArray(normalized)) rest = overlay(live, normalized, []);
  else return undefined;
  return (Array.isArray(rest) ? rest.length : Object.keys(rest as JsonMap).length) > 0 ? rest : undefined;
}

/** The live value with the committed one laid over it where the normalised live value differs. */
export function overlay(live: Json, normalized: Json, committed: Json): Json {
  if (deepEqual(normalized, committed)) return structuredClone(live);
  if (isJsonMap(live) && isJsonMap(normalized) && isJsonMap(committed)) {
    const result: JsonMap = structuredClone(live);
    for (const key of Object.keys(normalized)) {
      if (key in committed) continue;
      // Gone from the revision: only what normalisation showed goes, what it hid stays (a Namespace's name label).
      const rest = key in live ? withoutShown(live[key], normalized[key]) : undefined;
      if (rest === undefined) delete result[key];
      else result[key] = rest;
    }
    for (const [key, value] of Object.entries(committed)) {
      result[key] =
        key in live && key in normalized ? overlay(live[key], normalized[key], value) : structuredClone(value);
    }
    return result;
  }
  if (Array.isArray(live) && Array.isArray(normalized) && Array.isArray(committed))
    return overlayList(live, normalized, committed);
  return structuredClone(committed);
}

/** RFC 6902 operations between two values (fast-json-patch), typed as kube's writes take them. */
export function comparePatch(from: Json, to: Json): JsonPatchOperation[] {
  return fastJsonPatch.compare(from as object, to as object) as JsonPatchOperation[];
}

/**
 * The patch sent to the server: a `test` of the live resourceVersion (a concurrent change makes the
 * whole patch fail rather than be overwritten), then the operations that turn live into the overlay.
 */
export function livePatchFor(live: Json, normalized: Json, committed: Json): JsonPatchOperation[] {
  const target = overlay(live, normalized, committed);
  const operations = comparePatch(live, target);
  if (operations.length === 0) return [];
  const resourceVersion = (live as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
  return [{ op: 'test', path: '/metadata/resourceVersion', value: resourceVersion }, ...operations];
}
