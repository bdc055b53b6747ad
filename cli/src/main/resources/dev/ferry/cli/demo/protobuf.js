// Just enough of the protobuf wire format for the demo's messages: string fields (wire type 2,
// UTF-8) and int32/int64 fields (wire type 0, varint). See protobuf.dev/programming-guides/encoding.
//
// A schema names a message's fields: {candidate: [1, 'string'], votes: [2, 'int64']}.
// Messages are plain objects with those names; a field left out is its proto3 default.

const LENGTH_DELIMITED = 2;
const VARINT = 0;

/** The bytes of message, as schema describes it. */
export function encode(schema, message) {
  const out = [];
  for (const [name, [number, type]] of Object.entries(schema)) {
    const value = message[name];
    if (value === undefined) continue;
    if (type === 'string') {
      const bytes = new TextEncoder().encode(value);
      varint(out, BigInt((number << 3) | LENGTH_DELIMITED));
      varint(out, BigInt(bytes.length));
      out.push(...bytes);
    } else {
      varint(out, BigInt((number << 3) | VARINT));
      // Negative numbers take ten bytes: varints carry them as 64-bit two's complement.
      varint(out, BigInt.asUintN(64, BigInt(value)));
    }
  }
  return Uint8Array.from(out);
}

/** The message in bytes, as schema describes it; fields the schema does not name are skipped. */
export function decode(schema, bytes) {
  const byNumber = new Map();
  const message = {};
  for (const [name, [number, type]] of Object.entries(schema)) {
    byNumber.set(number, [name, type]);
    message[name] = type === 'string' ? '' : 0;
  }
  const reader = new Reader(bytes);
  while (!reader.done()) {
    const tag = Number(reader.varint());
    const [name, type] = byNumber.get(tag >>> 3) ?? [];
    const wireType = tag & 7;
    if (wireType === VARINT) {
      const value = reader.varint();
      // Numbers stay exact up to 2^53: far more votes than a demo counts.
      if (name) message[name] = Number(type === 'int32' ? BigInt.asIntN(32, value) : BigInt.asIntN(64, value));
    } else if (wireType === LENGTH_DELIMITED) {
      const value = reader.take(Number(reader.varint()));
      if (name) message[name] = new TextDecoder().decode(value);
    } else if (wireType === 1 || wireType === 5) {
      reader.take(wireType === 1 ? 8 : 4); // fixed64, fixed32: a newer server's fields
    } else {
      throw new Error('protobuf: wire type ' + wireType + ' (expected: 0, 1, 2 or 5)');
    }
  }
  return message;
}

function varint(out, n) {
  for (; n > 0x7fn; n >>= 7n) out.push(Number(n & 0x7fn) | 0x80);
  out.push(Number(n));
}

/** Reads bytes front to back, refusing to read past their end. */
class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 0;
  }

  done() {
    return this.at >= this.bytes.length;
  }

  take(length) {
    if (this.at + length > this.bytes.length) throw new Error('protobuf: message cut short');
    this.at += length;
    return this.bytes.subarray(this.at - length, this.at);
  }

  varint() {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = this.take(1)[0];
      value |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return value;
    }
  }
}
