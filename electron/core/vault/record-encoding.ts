// The canonical encoding the record MACs are computed over. Every value is written as a type byte and
// a 4-byte big-endian length followed by its bytes, so no two different lists of values encode alike
// (a NULL differs from '', 1 from '1', and no value can run into the next one).
import { createHash, createHmac } from 'node:crypto';

/** A column value as better-sqlite3 returns it. */
export type FieldValue = string | number | bigint | Uint8Array | null;

const NULL = 0;
const INTEGER = 1;
const TEXT = 2;
const BYTES = 3;
const REAL = 4;

/** The type byte of a value; numbers that are not whole (a REAL where an INTEGER belongs, a hand edit) encode differently. */
function typeOf(v: FieldValue): number {
  if (v === null || v === undefined) return NULL;
  if (typeof v === 'string') return TEXT;
  if (typeof v === 'bigint') return INTEGER;
  if (typeof v === 'number') return Number.isInteger(v) ? INTEGER : REAL;
  return BYTES;
}

/** The encoding as one buffer: sized first, then written, so a row costs one allocation. */
export function canonicalEncode(values: readonly FieldValue[]): Buffer {
  const texts = values.map((v) => (typeof v === 'number' || typeof v === 'bigint' ? String(v) : v));
  let size = 0;
  for (const v of texts) size += 5 + (v === null || v === undefined ? 0 : typeof v === 'string' ? Buffer.byteLength(v, 'utf8') : v.length);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  texts.forEach((v, i) => {
    out[at] = typeOf(values[i]!);
    if (v === null || v === undefined) {
      out.writeUInt32BE(0, at + 1);
      at += 5;
    } else if (typeof v === 'string') {
      const n = out.write(v, at + 5, 'utf8');
      out.writeUInt32BE(n, at + 1);
      at += 5 + n;
    } else {
      out.writeUInt32BE(v.length, at + 1);
      out.set(v, at + 5);
      at += 5 + v.length;
    }
  });
  return out;
}

/** Feeds the encoding of `values` to `sink` (an HMAC or a hash). */
export function encodeInto(sink: { update(data: Uint8Array): unknown }, values: readonly FieldValue[]): void {
  sink.update(canonicalEncode(values));
}

/** HMAC-SHA256 of the canonical encoding of `values`, as raw bytes. */
export function macOf(key: Buffer, values: readonly FieldValue[]): Buffer {
  const h = createHmac('sha256', key);
  encodeInto(h, values);
  return h.digest();
}

/** SHA-256 of the canonical encoding of `values`. */
export function hashOf(values: readonly FieldValue[]): Buffer {
  const h = createHash('sha256');
  encodeInto(h, values);
  return h.digest();
}
