// Just enough of the Kubernetes protobuf encoding to read what kubectl's generators send
// (`kubectl create namespace|configmap|secret` post protobuf): Namespace, ConfigMap and Secret.
import { unsupportedMediaType } from './status.ts';
import type { KubeObject } from './types.ts';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
/** What a create or update body may be; protobuf only for the kinds decoded here. */
export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', `${PROTOBUF_CONTENT_TYPE} (Namespace, ConfigMap, Secret)`];
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Field = { number: number; value: Buffer | number };

function readVarint(buffer: Buffer, offset: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = buffer[offset++];
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, offset];
    shift += 7;
  }
}

function fields(buffer: Buffer): Field[] {
  const out: Field[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const [tag, next] = readVarint(buffer, offset);
    offset = next;
    const number = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 0) {
      const [value, after] = readVarint(buffer, offset);
      out.push({ number, value });
      offset = after;
    } else if (wire === 2) {
      const [length, after] = readVarint(buffer, offset);
      out.push({ number, value: buffer.subarray(after, after + length) });
      offset = after + length;
    } else if (wire === 1) offset += 8;
    else if (wire === 5) offset += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}

const text = (value: Buffer | number): string => (typeof value === 'number' ? String(value) : value.toString('utf8'));

function mapEntry(value: Buffer | number, bytes: boolean): [string, string] {
  let key = '';
  let entry = '';
  for (const f of fields(value as Buffer)) {
    if (f.number === 1) key = text(f.value);
    if (f.number === 2) entry = bytes ? (f.value as Buffer).toString('base64') : text(f.value);
  }
  return [key, entry];
}

function objectMeta(buffer: Buffer): KubeObject['metadata'] {
  const meta: KubeObject['metadata'] = {};
  const names: Record<number, string> = { 1: 'name', 2: 'generateName', 3: 'namespace' };
  for (const f of fields(buffer)) {
    if (names[f.number] && text(f.value) !== '') meta[names[f.number]] = text(f.value);
    if (f.number === 11 || f.number === 12) {
      const key = f.number === 11 ? 'labels' : 'annotations';
      const [k, v] = mapEntry(f.value, false);
      meta[key] = { ...((meta[key] as Record<string, string>) ?? {}), [k]: v };
    }
    if (f.number === 14) meta.finalizers = [...((meta.finalizers as string[]) ?? []), text(f.value)];
  }
  return meta;
}

function addToMap(object: KubeObject, key: string, [k, v]: [string, string]): void {
  object[key] = { ...((object[key] as Record<string, string>) ?? {}), [k]: v };
}

// Field numbers of each kind's body, from k8s.io/api/core/v1/generated.proto.
const DECODERS: Record<string, (object: KubeObject, field: Field) => void> = {
  Namespace: (object, f) => {
    if (f.number === 2) {
      const finalizers = fields(f.value as Buffer).filter((s) => s.number === 1).map((s) => text(s.value));
      object.spec = finalizers.length ? { finalizers } : {};
    }
  },
  ConfigMap: (object, f) => {
    if (f.number === 2) addToMap(object, 'data', mapEntry(f.value, false));
    if (f.number === 3) addToMap(object, 'binaryData', mapEntry(f.value, true));
    if (f.number === 4) object.immutable = f.value === 1;
  },
  Secret: (object, f) => {
    if (f.number === 2) addToMap(object, 'data', mapEntry(f.value, true));
    if (f.number === 3) object.type = text(f.value);
    if (f.number === 4) addToMap(object, 'stringData', mapEntry(f.value, false));
    if (f.number === 5) object.immutable = f.value === 1;
  },
};

/** Decodes a protobuf-encoded object of one of the kinds above; anything else is 415 Unsupported Media Type. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (!body.subarray(0, 4).equals(MAGIC)) throw unsupportedMediaType(PROTOBUF_CONTENT_TYPE, OBJECT_MEDIA_TYPES);
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  for (const f of fields(body.subarray(4))) {
    if (f.number === 1) {
      for (const t of fields(f.value as Buffer)) {
        if (t.number === 1) apiVersion = text(t.value);
        if (t.number === 2) kind = text(t.value);
      }
    }
    if (f.number === 2) raw = f.value as Buffer;
  }
  const decode = DECODERS[kind];
  if (!decode) throw unsupportedMediaType(PROTOBUF_CONTENT_TYPE, OBJECT_MEDIA_TYPES);
  const object: KubeObject = { apiVersion, kind, metadata: {} };
  for (const f of fields(raw)) {
    if (f.number === 1) object.metadata = objectMeta(f.value as Buffer);
    else decode(object, f);
  }
  return object;
}
