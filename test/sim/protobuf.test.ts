// The protobuf decoder on bodies built here: pointer zeros and negative numbers as Go sends them, value-field
// zeros left out as JSON's omitempty does, and a body that is not what it claims as a 400 or 415 Status.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeProtobufObject } from '../../lib/sim/protobuf.ts';
import { StatusError } from '../../lib/sim/status.ts';

function varint(n: bigint): number[] {
  let v = BigInt.asUintN(64, n);
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v ? byte | 0x80 : byte);
  } while (v);
  return out;
}

const num = (field: number, n: number): number[] => [...varint(BigInt(field * 8)), ...varint(BigInt(n))];
const bytes = (field: number, value: number[] | string): number[] => {
  const data = typeof value === 'string' ? [...Buffer.from(value)] : value;
  return [...varint(BigInt(field * 8 + 2)), ...varint(BigInt(data.length)), ...data];
};

function envelope(apiVersion: string, kind: string, raw: number[]): Buffer {
  return Buffer.from([
    0x6b,
    0x38,
    0x73,
    0x00,
    ...bytes(1, [...bytes(1, apiVersion), ...bytes(2, kind)]),
    ...bytes(2, raw),
  ]);
}

test('a Pod: negative pointer int, value-field zeros omitted, pointer false kept, metadata time and labels', () => {
  const meta = [
    ...bytes(1, 'p'),
    ...bytes(3, 'shop'),
    ...bytes(8, [...num(1, 1_700_000_000)]),
    ...bytes(11, [...bytes(1, 'app'), ...bytes(2, 'web')]),
  ];
  const container = [...bytes(1, 'c'), ...bytes(2, 'nginx'), ...bytes(6, [...bytes(1, 'http'), ...num(3, 80)])];
  const spec = [...bytes(2, container), ...bytes(8, ''), ...num(11, 0), ...num(21, 0), ...num(25, -5)];
  const pod = decodeProtobufObject(envelope('v1', 'Pod', [...bytes(1, meta), ...bytes(2, spec)]));
  assert.equal(pod, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'shop', creationTimestamp: '2023-11-14T22:13:20Z', labels: { app: 'web' } },
    spec: {
      containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 80 }] }],
      automountServiceAccountToken: false,
      priority: -5,
    },
  });
});

test('a Secret: bytes as base64; map keys as data, __proto__ too; a Service port: IntOrString as a number or a name', () => {
  const secret = decodeProtobufObject(
    envelope('v1', 'Secret', [...bytes(1, bytes(1, 's')), ...bytes(2, [...bytes(1, 'k'), ...bytes(2, [0xff, 0x00])])]),
  );
  assert.equal(secret.data, { k: '/wA=' });
  const configMap = decodeProtobufObject(
    envelope('v1', 'ConfigMap', [
      ...bytes(2, [...bytes(1, '__proto__'), ...bytes(2, 'x')]),
      ...bytes(2, [...bytes(1, 'b'), ...bytes(2, 'y')]),
    ]),
  );
  assert.equal(Object.entries(configMap.data as object), [
    ['__proto__', 'x'],
    ['b', 'y'],
  ]);
  const port = (target: number[]) => [...num(3, 80), ...bytes(4, target)];
  const service = decodeProtobufObject(
    envelope('v1', 'Service', [
      ...bytes(2, [
        ...bytes(1, port([...num(1, 0), ...num(2, 8080)])),
        ...bytes(1, port([...num(1, 1), ...bytes(3, 'http')])),
      ]),
    ]),
  );
  assert.equal((service.spec as any).ports, [
    { port: 80, targetPort: 8080 },
    { port: 80, targetPort: 'http' },
  ]);
});

test('a truncated body is 400 Bad Request, a kind without a protobuf form 415', () => {
  const truncated = envelope('v1', 'ConfigMap', [...bytes(1, bytes(1, 'cm'))]).subarray(0, -2);
  const error = (body: Buffer) => {
    try {
      decodeProtobufObject(body);
    } catch (e) {
      return e as StatusError;
    }
    throw new Error('decoded');
  };
  assert.is(error(truncated).code, 400);
  assert.is(error(envelope('example.com/v1', 'Widget', [])).code, 415);
  assert.is(
    error(envelope('apps.example.com/v1', 'Deployment', [])).code,
    415,
    'a custom group named like a built-in one',
  );
  assert.is(error(Buffer.from('{"kind":"ConfigMap"}')).code, 415);
});

test.run();
