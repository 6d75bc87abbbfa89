// Writes lib/sim/protobuf-messages.ts: the protobuf field table of every built-in kind the simulator serves,
// read from the file descriptors of k8s.io/api's generated.proto that kubectl carries compiled in (gzipped,
// as gogo-protobuf registers them). Run after the simulator's kubectl or its served kinds change:
//   node --import tsx scripts/sim-protobuf-messages.ts [/usr/bin/kubectl]
import { readFileSync, writeFileSync } from 'node:fs';
import { constants, inflateRawSync } from 'node:zlib';
import { BUILTIN_RESOURCES } from '../lib/sim/builtin-resources.ts';
import { protobufMessageName, shortMessageName } from '../lib/sim/protobuf-names.ts';
import { readFields, type WireField } from '../lib/sim/protobuf-wire.ts';

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0x02, 0xff]);
const SCALAR_TYPES: Record<number, string> = {
  1: 'double',
  2: 'float',
  3: 'int64',
  4: 'uint64',
  5: 'int32',
  6: 'fixed64',
  7: 'fixed32',
  8: 'bool',
  9: 'string',
  12: 'bytes',
  13: 'uint32',
  15: 'sfixed32',
  16: 'sfixed64',
  17: 'sint32',
  18: 'sint64',
};
// Kinds served only as subresources or bodies of other requests, decoded too.
const EXTRA_ROOTS = ['authentication.v1.TokenRequest', 'autoscaling.v1.Scale', 'policy.v1.Eviction'];

// Fields Go embeds with `json:",inline"` have their message's fields in the parent's JSON. Descriptors do not say
// so; the struct tags kept in the binary do (`json:",inline" protobuf:"bytes,2,opt,name=volumeSource"`), but the
// linker keeps only the tags of types kubectl uses, so EphemeralContainer's is named here.
const INLINE_TAG = /json:",inline" protobuf:"bytes,(\d+),opt,name=(\w+)/g;
const INLINE_UNTAGGED = ['1 ephemeralContainerCommon'];
const GOGO_NULLABLE = 65001;

/** [number, JSON name, type, flags]: r repeated, p a pointer scalar (zero is a value), i inline. */
type FieldRow = [number, string, string] | [number, string, string, string];
type Descriptor = { fields: WireField[][]; mapEntry: boolean };

const string = (f: WireField | undefined): string => (f ? (f.value as Buffer).toString('utf8') : '');
const field = (fields: WireField[], n: number): WireField | undefined => fields.find((f) => f.number === n);

/** `number name` of every field the binary's struct tags inline. */
function inlineFields(binary: Buffer): Set<string> {
  const tags = binary.toString('latin1').matchAll(INLINE_TAG);
  return new Set([...[...tags].map((m) => `${m[1]} ${m[2]}`), ...INLINE_UNTAGGED]);
}

function descriptors(binary: Buffer): Map<string, Descriptor> {
  const messages = new Map<string, Descriptor>();
  const addMessage = (scope: string, bytes: Buffer): void => {
    const fields = readFields(bytes);
    const name = `${scope}.${string(field(fields, 1))}`;
    const options = field(fields, 7);
    const mapEntry =
      options !== undefined && readFields(options.value as Buffer).some((o) => o.number === 7 && o.value === 1);
    messages.set(name, {
      fields: fields.filter((f) => f.number === 2).map((f) => readFields(f.value as Buffer)),
      mapEntry,
    });
    for (const nested of fields.filter((f) => f.number === 3)) addMessage(name, nested.value as Buffer);
  };
  for (let at = binary.indexOf(GZIP_HEADER); at >= 0; at = binary.indexOf(GZIP_HEADER, at + 1)) {
    let file: WireField[];
    try {
      file = readFields(
        inflateRawSync(binary.subarray(at + 10, at + 10 + 8_000_000), { finishFlush: constants.Z_SYNC_FLUSH }),
      );
    } catch {
      continue;
    }
    if (!string(field(file, 1)).startsWith('k8s.io/')) continue;
    const pkg = `.${string(field(file, 2))}`;
    for (const message of file.filter((f) => f.number === 4)) addMessage(pkg, message.value as Buffer);
  }
  return messages;
}

// gogo-protobuf marks every field Go holds by value `nullable = false`; the others are pointers.
function isPointer(f: WireField[]): boolean {
  const options = field(f, 8);
  return !options || !readFields(options.value as Buffer).some((o) => o.number === GOGO_NULLABLE && o.value === 0);
}

function fieldRows(
  messages: Map<string, Descriptor>,
  inline: Set<string>,
  descriptor: Descriptor,
): { rows: FieldRow[]; refs: string[] } {
  const rows: FieldRow[] = [];
  const refs: string[] = [];
  for (const f of descriptor.fields) {
    const number = field(f, 3)!.value as number;
    const json = string(field(f, 1));
    const typeName = string(field(f, 6));
    let type = SCALAR_TYPES[field(f, 5)!.value as number];
    const entry = messages.get(typeName);
    if (entry?.mapEntry) {
      const [key, value] = entry.fields.map((e) => string(field(e, 6)) || SCALAR_TYPES[field(e, 5)!.value as number]);
      if (messages.has(value)) refs.push(value);
      rows.push([number, json, `map<${key},${messages.has(value) ? shortMessageName(value) : value}>`]);
      continue;
    }
    if (type === undefined) {
      refs.push(typeName);
      type = shortMessageName(typeName);
    }
    const repeated = field(f, 4)!.value === 3;
    const flags =
      (repeated ? 'r' : '') +
      (typeName === '' && !repeated && isPointer(f) ? 'p' : '') +
      (typeName !== '' && inline.has(`${number} ${json}`) ? 'i' : '');
    rows.push(flags ? [number, json, type, flags] : [number, json, type]);
  }
  return { rows, refs };
}

function main(): void {
  const binary = readFileSync(process.argv[2] ?? '/usr/bin/kubectl');
  const messages = descriptors(binary);
  const inline = inlineFields(binary);
  const table = new Map<string, FieldRow[]>();
  const pending = [
    ...BUILTIN_RESOURCES.map((d) => protobufMessageName(d.group, d.version, d.kind)),
    ...EXTRA_ROOTS.map((n) => `.k8s.io.api.${n}`),
  ];
  while (pending.length) {
    const name = pending.pop()!;
    const short = shortMessageName(name);
    const descriptor = messages.get(name);
    if (table.has(short) || !descriptor) continue;
    const { rows, refs } = fieldRows(messages, inline, descriptor);
    table.set(short, rows);
    pending.push(...refs);
  }
  const lines = [...table]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, rows]) => `'${name}':${JSON.stringify(rows)},`);
  writeFileSync(
    new URL('../lib/sim/protobuf-messages.ts', import.meta.url),
    `// Generated by scripts/sim-protobuf-messages.ts from the k8s.io/api protobuf descriptors kubectl carries: do not edit.\n` +
      `// Each message: [field number, JSON name, type (scalar, message, or map<key,value>), flags: r repeated, p pointer scalar, i inline].\n` +
      `export const PROTOBUF_MESSAGES: Record<string, ReadonlyArray<readonly [number, string, string, string?]>> = {\n${lines.join('\n')}\n};\n`,
  );
  process.stdout.write(`${table.size} messages\n`);
}

main();
