// The JSON bytes the simulator answers with, kept with each committed object as kube-apiserver's watch cache
// keeps encoded objects: list pages, GETs and watch events are assembled from them, so an unchanged object is
// never stringified again. What makes keeping them safe: a committed object never changes. Inside lib/sim that is a
// rule (a write makes a new object, copying what it changes, and never changes a committed one in place); objects
// leave the simulator (sim.get, sim.list) frozen all the way down, so no caller can change one. Freezing every
// object when it is committed would cost about a tenth of a write, for objects that are mostly never handed out.
import { apiVersionOf } from './object-shape.ts';
import type { KubeObject, ResourceDef } from './types.ts';

const keptJson = new WeakMap<object, Buffer>();

const COMMA = Buffer.from(',');
const END_OF_LIST = Buffer.from(']}');
const END_OF_EVENT = Buffer.from('}\n');

/**
 * Encodes a committed object once. Its managedFields are frozen now: their FieldsV1, shared from version to
 * version, are remembered by identity once found in normal form (field-set.ts normalFieldsV1).
 */
export function seal(object: KubeObject): void {
  freezeDeep(object.metadata?.managedFields);
  keptJson.set(object, Buffer.from(JSON.stringify(object)));
}

/** A committed object as it leaves the simulator: frozen all the way down. */
export function frozen(object: KubeObject): KubeObject {
  freezeDeep(object);
  return object;
}

// Children first, so that a frozen map or list is frozen all the way down and a frozen subtree (shared with an
// earlier version, or handed out before) can be skipped.
function freezeDeep(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  for (const child of Object.values(value)) freezeDeep(child);
  Object.freeze(value);
}

/** JSON.stringify(value) as bytes; a sealed object's kept bytes. */
export function encodedJson(value: unknown): Buffer {
  const kept = typeof value === 'object' && value !== null ? keptJson.get(value) : undefined;
  return kept ?? Buffer.from(JSON.stringify(value));
}

/** The object as a GET at `def`'s version returns it: stored objects carry no kind/apiVersion. */
export function servedObject(def: ResourceDef, stored: KubeObject): KubeObject {
  return { kind: def.kind, apiVersion: apiVersionOf(def), ...stored };
}

/** JSON.stringify(servedObject(def, stored)), made from the stored object's kept bytes. */
export function servedJson(def: ResourceDef, stored: KubeObject): Buffer {
  const body = encodedJson(stored);
  if (!startsAfterKind(stored, body)) return encodedJson(servedObject(def, stored));
  const head = `{"kind":${JSON.stringify(def.kind)},"apiVersion":${JSON.stringify(apiVersionOf(def))},`;
  return Buffer.concat([Buffer.from(head), body.subarray(1)]);
}

// Whether the served object's JSON is kind and apiVersion followed by the stored object's fields. Not when the
// stored object has a kind or apiVersion of its own, has no fields, or starts with an array-index key (which
// JavaScript puts before every other key, kind included).
function startsAfterKind(stored: KubeObject, body: Buffer): boolean {
  if (body.length <= 2 || Object.hasOwn(stored, 'kind') || Object.hasOwn(stored, 'apiVersion')) return false;
  return !isArrayIndex(Object.keys(stored)[0]);
}

function isArrayIndex(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/** A list response: JSON.stringify({ kind, apiVersion, metadata, items }) with the items' kept bytes. */
export function listJson(def: ResourceDef, metadata: Record<string, unknown>, items: KubeObject[]): Buffer {
  const head = `{"kind":${JSON.stringify(def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(def))},"metadata":${JSON.stringify(metadata)},"items":[`;
  const chunks: Buffer[] = [Buffer.from(head)];
  items.forEach((item, index) => {
    if (index > 0) chunks.push(COMMA);
    chunks.push(encodedJson(item));
  });
  chunks.push(END_OF_LIST);
  return Buffer.concat(chunks);
}

/** One line of a watch stream: JSON.stringify({ type, object }) + '\n', `object` already encoded. */
export function watchEventLine(type: string, object: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`{"type":${JSON.stringify(type)},"object":`), object, END_OF_EVENT]);
}
