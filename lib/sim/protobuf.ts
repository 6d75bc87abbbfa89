// Just enough of the Kubernetes protobuf encoding to read what kubectl's typed clients send
// (`kubectl create namespace|configmap|secret|serviceaccount|role|rolebinding|token|...`, `kubectl auth can-i|whoami`
// post protobuf).
import { unsupportedMediaType } from './status.ts';
import type { KubeObject } from './types.ts';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
/** What a create or update body may be; protobuf only for the kinds decoded here. */
export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', `${PROTOBUF_CONTENT_TYPE} (Namespace, ConfigMap, Secret, ServiceAccount, RBAC objects, TokenRequest, access and rules reviews)`];
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

/** A message of string fields (repeated ones in `lists`) as a map of its non-empty values. */
function stringFields(buffer: Buffer, names: Record<number, string>, lists: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields(buffer)) {
    const name = names[f.number];
    if (!name) continue;
    if (lists.includes(name)) out[name] = [...((out[name] as string[] | undefined) ?? []), text(f.value)];
    else if (text(f.value) !== '') out[name] = text(f.value);
  }
  return out;
}

// k8s.io/api/authorization/v1 ResourceAttributes and NonResourceAttributes.
const RESOURCE_ATTRIBUTES = { 1: 'namespace', 2: 'verb', 3: 'group', 4: 'version', 5: 'resource', 6: 'subresource', 7: 'name' };
const NON_RESOURCE_ATTRIBUTES = { 1: 'path', 2: 'verb' };

/** An access review's spec: field 1 resource attributes, 2 non-resource attributes, then (SubjectAccessReview) user, groups, uid. */
function accessReviewSpec(buffer: Buffer): Record<string, unknown> {
  const spec: Record<string, unknown> = stringFields(buffer, { 3: 'user', 4: 'groups', 6: 'uid' }, ['groups']);
  for (const f of fields(buffer)) {
    if (f.number === 1) spec.resourceAttributes = stringFields(f.value as Buffer, RESOURCE_ATTRIBUTES);
    if (f.number === 2) spec.nonResourceAttributes = stringFields(f.value as Buffer, NON_RESOURCE_ATTRIBUTES);
  }
  return spec;
}

function tokenRequestSpec(buffer: Buffer): Record<string, unknown> {
  const spec: Record<string, unknown> = stringFields(buffer, { 1: 'audiences' }, ['audiences']);
  for (const f of fields(buffer)) {
    if (f.number === 3) spec.boundObjectRef = stringFields(f.value as Buffer, { 1: 'kind', 2: 'apiVersion', 3: 'name', 4: 'uid' });
    if (f.number === 4) spec.expirationSeconds = f.value;
  }
  return spec;
}

// k8s.io/api/rbac/v1 PolicyRule, Subject and RoleRef.
const POLICY_RULE = { 1: 'verbs', 2: 'apiGroups', 3: 'resources', 4: 'resourceNames', 5: 'nonResourceURLs' };
const SUBJECT = { 1: 'kind', 2: 'apiGroup', 3: 'name', 4: 'namespace' };
const ROLE_REF = { 1: 'apiGroup', 2: 'kind', 3: 'name' };

function pushTo(object: KubeObject, key: string, item: unknown): void {
  object[key] = [...((object[key] as unknown[] | undefined) ?? []), item];
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
  SelfSubjectAccessReview: (object, f) => {
    if (f.number === 2) object.spec = accessReviewSpec(f.value as Buffer);
  },
  SubjectAccessReview: (object, f) => {
    if (f.number === 2) object.spec = accessReviewSpec(f.value as Buffer);
  },
  LocalSubjectAccessReview: (object, f) => {
    if (f.number === 2) object.spec = accessReviewSpec(f.value as Buffer);
  },
  SelfSubjectRulesReview: (object, f) => {
    if (f.number === 2) object.spec = stringFields(f.value as Buffer, { 1: 'namespace' });
  },
  SelfSubjectReview: () => {},
  TokenReview: (object, f) => {
    if (f.number === 2) object.spec = stringFields(f.value as Buffer, { 1: 'token', 2: 'audiences' }, ['audiences']);
  },
  TokenRequest: (object, f) => {
    if (f.number === 2) object.spec = tokenRequestSpec(f.value as Buffer);
  },
  ServiceAccount: (object, f) => {
    if (f.number === 4) object.automountServiceAccountToken = f.value === 1;
  },
  Role: (object, f) => {
    if (f.number === 2) pushTo(object, 'rules', stringFields(f.value as Buffer, POLICY_RULE, Object.values(POLICY_RULE)));
  },
  ClusterRole: (object, f) => {
    if (f.number === 2) pushTo(object, 'rules', stringFields(f.value as Buffer, POLICY_RULE, Object.values(POLICY_RULE)));
  },
  RoleBinding: (object, f) => {
    if (f.number === 2) pushTo(object, 'subjects', stringFields(f.value as Buffer, SUBJECT));
    if (f.number === 3) object.roleRef = stringFields(f.value as Buffer, ROLE_REF);
  },
  ClusterRoleBinding: (object, f) => {
    if (f.number === 2) pushTo(object, 'subjects', stringFields(f.value as Buffer, SUBJECT));
    if (f.number === 3) object.roleRef = stringFields(f.value as Buffer, ROLE_REF);
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
