// DER/BER INTEGER values of any length (X.690 8.3). asn1js's valueBlock.valueDec, which pkijs reads
// for iteration counts, versions and key lengths, is 0 for any INTEGER of four or more content bytes
// (2^23 and up): every INTEGER CertDesk reads from an input file goes through this module instead.
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../../shared/errors.js';

/**
 * The value of an INTEGER block, two's complement, any length; undefined when `block` is not an
 * asn1js Integer or has no content bytes. Linear in the encoding's length.
 */
export function integerValue(block: unknown): bigint | undefined {
  if (!(block instanceof asn1js.Integer)) return undefined;
  const bytes = block.valueBlock.valueHexView;
  if (bytes.length === 0) return undefined;
  const magnitude = BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
  return bytes[0]! & 0x80 ? magnitude - (1n << BigInt(bytes.length * 8)) : magnitude;
}

/** A short rendering of a value for an error message: the digits, or its size when it is huge. */
export function describeInteger(value: bigint): string {
  const digits = value.toString();
  return digits.length <= 24 ? digits : `a ${digits.length}-digit number`;
}

/**
 * The INTEGER in `block` as a number in [min, max] (both safe integers). `fail(problem)` builds the
 * error thrown otherwise; `problem` reads "is not an INTEGER" or "is 0, outside 1 to 10000000".
 */
export function integerInRange(block: unknown, min: number, max: number, fail: (problem: string) => Error): number {
  const value = integerValue(block);
  if (value === undefined) throw fail('is not an INTEGER');
  if (value < BigInt(min) || value > BigInt(max)) throw fail(`is ${describeInteger(value)}, outside ${min} to ${max}`);
  return Number(value);
}

/**
 * basicConstraints pathLenConstraint (RFC 5280 4.2.1.9) as @peculiar/x509 hands it over: a number
 * below 2^23, a decimal string from there up (asn1-schema's AsnIntegerConverter), or undefined when
 * absent. Returns the number, null when absent; throws INVALID_INPUT naming `field` for a value
 * that is negative or above 2^31 - 1 (no real chain is that deep).
 */
export function pathLengthOf(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === 'number' || typeof value === 'string' ? String(value) : '';
  const parsed = /^-?\d{1,40}$/.test(text) ? BigInt(text) : undefined;
  if (parsed === undefined || parsed < 0n || parsed > 2_147_483_647n) {
    throw new CertDeskError('INVALID_INPUT', `${field}: basicConstraints pathLenConstraint ${parsed === undefined ? 'is not a whole number' : `is ${describeInteger(parsed)}, outside 0 to 2147483647`}`, { field });
  }
  return Number(parsed);
}
