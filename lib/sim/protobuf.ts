// The Kubernetes protobuf encoding of built-in kinds, as kubectl's typed clients send it (`kubectl create
// deployment|service|secret|role|cronjob|token|...`, `kubectl auth can-i|whoami`): one generic decoder driven by
// the field table generated from k8s.io/api's own descriptors (protobuf-messages.ts), producing the object its
// JSON form would be.
import { groupVersionOf } from './object-shape.ts';
import { PROTOBUF_MESSAGES } from './protobuf-messages.ts';
import { protobufMessageName, shortMessageName } from './protobuf-names.ts';
import { readFields, readVarint, type WireField } from './protobuf-wire.ts';
import { badRequest, StatusError, unsupportedMediaType } from './status.ts';
import type { KubeObject } from './types.ts';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
/** What a create or update body may be; protobuf for the built-in kinds (custom resources have no protobuf form). */
export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', `${PROTOBUF_CONTENT_TYPE} (built-in kinds)`];
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Json = unknown;
type FieldRow = readonly [number, string, string, string?];

const VARINT_TYPES = new Set(['int32', 'int64', 'uint32', 'uint64', 'bool']);
const ZERO_VALUES = new Set<unknown>(['', 0, false]);

const messageTables = new Map<string, Map<number, FieldRow>>();

function messageTable(name: string): Map<number, FieldRow> | undefined {
  let table = messageTables.get(name);
  if (!table && PROTOBUF_MESSAGES[name])
    messageTables.set(name, (table = new Map(PROTOBUF_MESSAGES[name].map((row) => [row[0], row]))));
  return table;
}

function scalar(type: string, value: Buffer | number): Json {
  if (typeof value === 'number') return type === 'bool' ? value !== 0 : value;
  if (type === 'string') return value.toString('utf8');
  if (type === 'bytes') return value.toString('base64');
  if (type === 'double') return value.readDoubleLE(0);
  if (type === 'float') return value.readFloatLE(0);
  throw new Error(`unexpected length-delimited ${type}`);
}

/** Packed repeated varints (proto3 style) or a single value. */
function scalars(type: string, value: Buffer | number): Json[] {
  if (typeof value === 'number' || !VARINT_TYPES.has(type)) return [scalar(type, value)];
  const out: Json[] = [];
  for (let offset = 0; offset < value.length; ) {
    const [n, next] = readVarint(value, offset);
    out.push(scalar(type, n));
    offset = next;
  }
  return out;
}

function rfc3339(seconds: number, nanos: number, fractionDigits: number): string {
  const whole = new Date(seconds * 1000).toISOString().slice(0, 19);
  return fractionDigits ? `${whole}.${String(nanos).padStart(9, '0').slice(0, fractionDigits)}Z` : `${whole}Z`;
}

// apimachinery types whose JSON form is not their message's: times as RFC 3339, IntOrString and Quantity as
// their value, raw JSON as itself. Undefined means the field is left out (a zero time is `null` in Go's JSON).
const SPECIAL: Record<string, (message: Record<string, Json>) => Json> = {
  'apis.meta.v1.Time': (m) => (m.seconds || m.nanos ? rfc3339(Number(m.seconds ?? 0), 0, 0) : undefined),
  'apis.meta.v1.MicroTime': (m) =>
    m.seconds || m.nanos ? rfc3339(Number(m.seconds ?? 0), Number(m.nanos ?? 0), 6) : undefined,
  'util.intstr.IntOrString': (m) => (m.type === 1 ? (m.strVal ?? '') : (m.intVal ?? 0)),
  'api.resource.Quantity': (m) => m.string ?? '0',
  'runtime.RawExtension': (m) =>
    m.raw === undefined ? undefined : JSON.parse(Buffer.from(m.raw as string, 'base64').toString('utf8')),
  'apis.meta.v1.FieldsV1': (m) =>
    m.Raw === undefined ? {} : JSON.parse(Buffer.from(m.Raw as string, 'base64').toString('utf8')),
};

function value(type: string, raw: Buffer | number): Json {
  if (messageTable(type)) return message(type, raw as Buffer);
  return scalar(type, raw);
}

function mapEntry(type: string, raw: Buffer): [string, Json] {
  const [keyType, valueType] = type.slice(4, -1).split(',');
  let key: Json = '';
  let entry: Json = messageTable(valueType)
    ? message(valueType, Buffer.alloc(0))
    : scalar(valueType, valueType === 'string' || valueType === 'bytes' ? Buffer.alloc(0) : 0);
  for (const f of readFields(raw)) {
    if (f.number === 1) key = scalar(keyType, f.value);
    if (f.number === 2) entry = value(valueType, f.value);
  }
  return [String(key), entry];
}

function message(name: string, bytes: Buffer): Json {
  const table = messageTable(name)!;
  const out: Record<string, Json> = {};
  for (const f of readFields(bytes)) {
    const row = table.get(f.number);
    if (row) addField(out, row, f);
  }
  // A Go value field is always encoded; its zero value is what JSON's omitempty leaves out. Pointers keep theirs.
  for (const [, field, type, flags = ''] of table.values()) {
    if (!flags.includes('p') && !flags.includes('r') && !type.startsWith('map<') && ZERO_VALUES.has(out[field]))
      delete out[field];
  }
  if (name.endsWith('.ExtraValue')) return out.items ?? [];
  return SPECIAL[name] ? SPECIAL[name](out) : out;
}

function addField(out: Record<string, Json>, [, field, type, flags = '']: FieldRow, f: WireField): void {
  if (type.startsWith('map<')) {
    const [k, v] = mapEntry(type, f.value as Buffer);
    // Defined, not assigned: a key such as __proto__ is data here, as JSON.parse makes it.
    Object.defineProperty((out[field] ??= {}) as Record<string, Json>, k, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else if (flags.includes('r')) {
    const items = messageTable(type) ? [message(type, f.value as Buffer)] : scalars(type, f.value);
    ((out[field] ??= []) as Json[]).push(...items);
  } else if (flags.includes('i')) {
    Object.assign(out, message(type, f.value as Buffer));
  } else {
    const decoded = value(type, f.value);
    if (decoded === undefined) delete out[field];
    else out[field] = decoded;
  }
}

/** Decodes a protobuf-encoded built-in object; a kind without a protobuf form is 415 Unsupported Media Type. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (!body.subarray(0, 4).equals(MAGIC)) throw unsupportedMediaType(PROTOBUF_CONTENT_TYPE, OBJECT_MEDIA_TYPES);
  try {
    let apiVersion = '';
    let kind = '';
    let raw: Buffer = Buffer.alloc(0);
    for (const f of readFields(body.subarray(4))) {
      if (f.number === 1) {
        for (const t of readFields(f.value as Buffer)) {
          if (t.number === 1) apiVersion = scalar('string', t.value) as string;
          if (t.number === 2) kind = scalar('string', t.value) as string;
        }
      }
      if (f.number === 2) raw = f.value as Buffer;
    }
    const [group, version] = groupVersionOf(apiVersion);
    const full = protobufMessageName(group, version, kind);
    const name = full && shortMessageName(full);
    if (!name || !messageTable(name)) throw unsupportedMediaType(PROTOBUF_CONTENT_TYPE, OBJECT_MEDIA_TYPES);
    return { apiVersion, kind, metadata: {}, ...(message(name, raw) as Record<string, Json>) } as KubeObject;
  } catch (error) {
    if (error instanceof StatusError) throw error;
    throw badRequest(
      `the body of the request could not be decoded as ${PROTOBUF_CONTENT_TYPE}: ${(error as Error).message}`,
    );
  }
}
