// pki/crl-der.ts's revokedCertificates encoder (one buffer, two passes) against a plain TLV-by-TLV encoding
// of the same DER rules (X.690 8.1.3 lengths, 8.3 minimal INTEGERs, RFC 5280 4.1.2.5 UTCTime through 2049):
// byte for byte on seeded random entries, including the lengths that need the long form; and the entries it
// refuses, each with its code and a message naming the entry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { revokedCertificatesDer, tlv, type DerCrlEntry } from '../../electron/core/pki/crl-der.js';
import { certErr } from '../helpers/engine-vault.js';
import { fuzzSeed, Rng } from '../helpers/fuzz.js';

/** The reference: each TLV built on its own and concatenated (what crl-der.ts did before it wrote one buffer). */
function reference(entries: DerCrlEntry[]): Buffer {
  const integer = (hex: string) => {
    let bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0 && bytes[i + 1]! < 0x80) i++;
    bytes = bytes.subarray(i);
    if (bytes.length === 0) return Buffer.from([0]);
    return bytes[0]! >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  };
  const time = (d: Date) => {
    const digits = d.toISOString().slice(0, 19).replace(/[-:T]/g, '') + 'Z';
    const year = d.getUTCFullYear();
    return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'latin1')) : tlv(0x18, Buffer.from(digits, 'latin1'));
  };
  return tlv(
    0x30,
    Buffer.concat(
      entries.map((e) => {
        const parts = [tlv(0x02, integer(e.serial)), time(e.revokedAt)];
        if (e.reasonCode !== null) parts.push(tlv(0x30, tlv(0x30, Buffer.concat([Buffer.from('0603551d15', 'hex'), tlv(0x04, tlv(0x0a, Buffer.from([e.reasonCode])))]))));
        return tlv(0x30, Buffer.concat(parts));
      }),
    ),
  );
}

/** Serials of every shape: empty, odd length, leading zero bytes before a high or low bit, upper case, 130 bytes (long-form lengths). */
function serial(rng: Rng, i: number): string {
  const fixed = ['', '0', '00', '0000', '007f', '0080', '80', 'ff', 'FF01', '00ff01', '000001'];
  if (i < fixed.length) return fixed[i]!;
  const n = rng.pick([1, 8, 16, 19, 20, 21, 130]);
  let hex = Buffer.from(rng.bytes(n)).toString('hex');
  if (rng.int(4) === 0) hex = '00'.repeat(1 + rng.int(3)) + hex;
  if (rng.int(4) === 0) hex = hex.slice(1);
  return rng.int(3) === 0 ? hex.toUpperCase() : hex;
}

function date(rng: Rng, i: number): Date {
  const edges = [Date.UTC(1949, 11, 31, 23, 59, 59), Date.UTC(1950, 0, 1), Date.UTC(2049, 11, 31, 23, 59, 59), Date.UTC(2050, 0, 1), Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59)];
  if (i < edges.length) return new Date(edges[i]!);
  // Any second from 1900 to 2100, with milliseconds (which the encoding drops).
  return new Date(Date.UTC(1900, 0, 1) + rng.int(200 * 365) * 86_400_000 + rng.int(86_400_000));
}

test('revokedCertificatesDer writes the same bytes as the TLV-by-TLV reference (seeded entries)', () => {
  const seed = fuzzSeed();
  const rng = new Rng(seed);
  const seen = new Set<string>();
  const entries: DerCrlEntry[] = [];
  for (let i = 0; entries.length < 3000; i++) {
    const s = serial(rng, i);
    const key = BigInt('0x0' + s).toString(16);
    if (seen.has(key)) continue; // a serial listed twice is refused (next test)
    seen.add(key);
    entries.push({ serial: s, revokedAt: date(rng, entries.length), reasonCode: rng.int(3) === 0 ? null : rng.pick([0, 1, 2, 3, 4, 5, 6, 8, 9, 10]) });
  }
  const ours = revokedCertificatesDer(entries);
  const expected = reference(entries);
  assert.equal(ours.length, expected.length, `seed ${seed}: length`);
  assert.equal(ours.compare(expected), 0, `seed ${seed}: first difference at byte ${ours.findIndex((b, i) => b !== expected[i])}`);
  // Each prefix too, so a short list (one-byte lengths) and the empty list are covered.
  for (const n of [0, 1, 2, 5, 11]) assert.equal(revokedCertificatesDer(entries.slice(0, n)).compare(reference(entries.slice(0, n))), 0, `seed ${seed}: first ${n} entries`);
  assert.equal(revokedCertificatesDer([]).toString('hex'), '3000');
});

test('revokedCertificatesDer refuses a serial listed twice, a non-hex serial, a bad date and a reason code over 127, naming the entry', () => {
  const at = new Date('2026-03-01T00:00:00Z');
  const ok = { serial: '01', revokedAt: at, reasonCode: 1 };
  assert.throws(() => revokedCertificatesDer([ok, { serial: '0abc', revokedAt: at, reasonCode: null }, { serial: 'ABC', revokedAt: at, reasonCode: null }]), certErr('INVALID_INPUT', 'Certificate serial number ABC is listed twice'));
  assert.throws(() => revokedCertificatesDer([ok, { serial: '12zz', revokedAt: at, reasonCode: null }]), certErr('INVALID_INPUT', 'CRL entry 1: serial "12zz" is not hexadecimal'));
  assert.throws(() => revokedCertificatesDer([{ serial: '02', revokedAt: new Date(Number.NaN), reasonCode: null }]), certErr('INVALID_INPUT', 'CRL entry 0 (serial 02): the revocation date is not a date from year 0 to 9999'));
  assert.throws(() => revokedCertificatesDer([ok, { serial: '03', revokedAt: at, reasonCode: 128 }]), certErr('INVALID_INPUT', 'CRL entry 1 (serial 03): reason code 128 is not 0 to 127'));
});
