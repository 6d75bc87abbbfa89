// Reading the protobuf wire format: a message is a sequence of (field number, value) pairs.

export type WireField = { number: number; value: Buffer | number };

const TWO_POW_63 = 2n ** 63n;
const TWO_POW_64 = 2n ** 64n;

/** A varint at `offset` and the offset after it; negative int32/int64 values (ten bytes, two's complement) come back negative. */
export function readVarint(buffer: Buffer, offset: number): [number, number] {
  let result = 0;
  let shift = 0;
  const start = offset;
  for (;;) {
    if (offset >= buffer.length) throw new Error('truncated protobuf varint');
    const byte = buffer[offset++];
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
  }
  if (offset - start < 9) return [result, offset];
  // Past 53 bits a double loses the low bits that tell a small negative number from a large one.
  let big = 0n;
  for (let i = offset - 1; i >= start; i--) big = (big << 7n) | BigInt(buffer[i] & 0x7f);
  big %= TWO_POW_64;
  return [Number(big >= TWO_POW_63 ? big - TWO_POW_64 : big), offset];
}

/** The fields of one message in wire order; fixed32/fixed64 values are kept as their bytes. */
export function readFields(buffer: Buffer): WireField[] {
  const out: WireField[] = [];
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
    } else if (wire === 2 || wire === 1 || wire === 5) {
      let length = wire === 1 ? 8 : 4;
      if (wire === 2) [length, offset] = readVarint(buffer, offset);
      if (offset + length > buffer.length) throw new Error('truncated protobuf field');
      out.push({ number, value: buffer.subarray(offset, offset + length) });
      offset += length;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return out;
}
