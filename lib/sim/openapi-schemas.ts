// OpenAPI v3 schemas of the built-in kinds, made from the same protobuf field table the simulator decodes with
// (protobuf-messages.ts): field names and types only (the descriptors carry no documentation), enough for
// `kubectl explain`.
import { isBuiltinResource } from './catalog.ts';
import { PROTOBUF_MESSAGES } from './protobuf-messages.ts';
import { protobufMessageName, shortMessageName } from './protobuf-names.ts';
import type { ResourceDef } from './types.ts';

type Schema = Record<string, unknown>;

const SCALARS: Record<string, Schema> = {
  string: { type: 'string' },
  bytes: { type: 'string', format: 'byte' },
  bool: { type: 'boolean' },
  int32: { type: 'integer', format: 'int32' },
  uint32: { type: 'integer', format: 'int32' },
  int64: { type: 'integer', format: 'int64' },
  uint64: { type: 'integer', format: 'int64' },
  double: { type: 'number', format: 'double' },
  float: { type: 'number', format: 'double' },
};

// apimachinery types whose JSON form is not their message's (see SPECIAL in protobuf.ts).
const SPECIAL: Record<string, Schema> = {
  'apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
  'util.intstr.IntOrString': { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true },
  'api.resource.Quantity': { type: 'string' },
  'runtime.RawExtension': { type: 'object' },
  'apis.meta.v1.FieldsV1': { type: 'object' },
};

const APIMACHINERY = /^(apis|api|util|runtime)\./;

/** The name the real server gives a type's schema: `io.k8s.api.apps.v1.Deployment`. */
function schemaName(short: string): string {
  return APIMACHINERY.test(short) ? `io.k8s.apimachinery.pkg.${short}` : `io.k8s.api.${short}`;
}

function ref(short: string): Schema {
  return { $ref: `#/components/schemas/${schemaName(short)}` };
}

function typeSchema(type: string, refs: Set<string>): Schema {
  if (SCALARS[type]) return SCALARS[type];
  if (type.startsWith('map<'))
    return { type: 'object', additionalProperties: typeSchema(type.slice(4, -1).split(',')[1], refs) };
  refs.add(type);
  return ref(type);
}

function messageSchema(name: string, refs: Set<string>): Schema {
  if (SPECIAL[name]) return SPECIAL[name];
  if (name.endsWith('.ExtraValue')) return { type: 'array', items: { type: 'string' } };
  const properties: Record<string, Schema> = {};
  const addFields = (message: string): void => {
    for (const [, field, type, flags = ''] of PROTOBUF_MESSAGES[message]) {
      if (flags.includes('i')) addFields(type);
      else
        properties[field] = flags.includes('r')
          ? { type: 'array', items: typeSchema(type, refs) }
          : typeSchema(type, refs);
    }
  };
  addFields(name);
  return { type: 'object', properties };
}

// Built from a fixed table, so made once per set of built-in kinds (a group-version's do not change; custom
// resources have no schema here).
const made = new Map<string, Record<string, Schema>>();

/** components.schemas of a group-version document: each kind served there, and every type its fields use. */
export function groupVersionSchemas(defs: readonly ResourceDef[]): Record<string, Schema> {
  const builtin = defs.filter((d) => isBuiltinResource(d) && kindMessage(d) !== undefined);
  const key = builtin.map((d) => `${d.group}/${d.version}/${d.kind}`).join(' ');
  let schemas = made.get(key);
  if (!schemas) made.set(key, (schemas = schemasOf(builtin)));
  return schemas;
}

/** The table's name of a kind's message, if the table has it. */
function kindMessage(def: ResourceDef): string | undefined {
  const full = protobufMessageName(def.group, def.version, def.kind);
  const name = full && shortMessageName(full);
  return name && PROTOBUF_MESSAGES[name] ? name : undefined;
}

function schemasOf(defs: readonly ResourceDef[]): Record<string, Schema> {
  const schemas: Record<string, Schema> = {};
  const refs = new Set<string>();
  for (const def of defs) {
    const name = kindMessage(def)!;
    if (schemas[schemaName(name)]) continue;
    const schema = messageSchema(name, refs);
    schema.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...(schema.properties as Schema) };
    schema['x-kubernetes-group-version-kind'] = [{ group: def.group, kind: def.kind, version: def.version }];
    schemas[schemaName(name)] = schema;
  }
  const done = new Set<string>();
  for (const name of refs) {
    if (done.has(name)) continue;
    done.add(name);
    if (!schemas[schemaName(name)]) schemas[schemaName(name)] = messageSchema(name, refs);
  }
  return schemas;
}
