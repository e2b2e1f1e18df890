// How large each kind of input may be, in one place: the CLI checks a file's size before reading it
// (electron/core/read-input.ts), the typed API's schemas cap the Base64 and text fields the renderer sends
// (shared/api.ts), and the batch CSV parser caps its rows (core/batch/csv.ts). Pure: no Node imports, so
// shared/api.ts (also type-checked for the renderer) can use it.
import { CertDeskError } from '../../shared/errors.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * The largest file of each kind, in bytes. Chosen generously for real files, so only a wrong or hostile
 * file meets them:
 * - csr 256 KiB: a PKCS#10 request with 5,000 DNS names (the event-loop test's) is about 160 KiB as PEM.
 * - cert 256 KiB: a certificate signed from such a request carries the same names; a PEM chain file of a
 *   few CA certificates is a few KiB.
 * - key 64 KiB: an encrypted PKCS#8 RSA-16384 key in PEM is about 13 KiB.
 * - pfx 1 MiB: a PKCS#12 with a key, its certificate and a chain is 3 to 20 KiB; 1 MiB holds dozens of certificates.
 * - csv 10 MiB: 100,000 rows of name, e-mail, UPN, alias and phone are about 9 MiB (see MAX_CSV_ROWS).
 * - secret 64 KiB: a passphrase or password file; only its first line is used.
 * - template 128 KiB: a letter template; the settings accept 20,000 characters, up to 80,000 bytes of UTF-8.
 */
export const INPUT_LIMITS = {
  csr: 256 * KiB,
  cert: 256 * KiB,
  key: 64 * KiB,
  pfx: 1 * MiB,
  csv: 10 * MiB,
  secret: 64 * KiB,
  template: 128 * KiB,
} as const;

export type InputKind = keyof typeof INPUT_LIMITS;

/**
 * The most data rows a batch CSV may have. Measured: a 100,000-row CSV (name, e-mail, UPN, alias, phone;
 * 9.5 MB) passes `certdesk issue-batch --dry-run` in about 4 s with a peak RSS of about 450 MB; a 50 MB file
 * of 1.48 million rows took 49 s and 2.6 GB before the limits. An organisation larger than this issues in
 * several files.
 */
export const MAX_CSV_ROWS = 100_000;

/** What each kind is called in a message. */
const WHAT: Record<InputKind, string> = {
  csr: 'certificate request',
  cert: 'certificate',
  key: 'private key',
  pfx: 'PKCS#12 (PFX) file',
  csv: 'batch CSV',
  secret: 'password file',
  template: 'letter template',
};

/** A size for people: "12,345 bytes (12.1 KiB)". */
export function formatBytes(n: number): string {
  const unit = n >= MiB ? ` (${(n / MiB).toFixed(1)} MiB)` : n >= KiB ? ` (${(n / KiB).toFixed(1)} KiB)` : '';
  return `${n.toLocaleString('en-US')} bytes${unit}`;
}

/**
 * Refuses an input larger than its kind's limit.
 * @param kind which limit applies (INPUT_LIMITS)
 * @param size the input's size in bytes
 * @param where the file path or request field it came from, named in the message
 * @param known false when `size` is only what was read before stopping (a pipe or device): "more than <limit>"
 * @throws CertDeskError INVALID_INPUT "<where>: the <kind> is <size>; the limit is <limit>", details { field: where, size, limit }
 */
export function checkInputSize(kind: InputKind, size: number, where: string, known = true): void {
  const limit = INPUT_LIMITS[kind];
  if (size > limit) {
    const is = known ? `is ${formatBytes(size)}` : `is more than ${formatBytes(limit)}`;
    throw new CertDeskError('INVALID_INPUT', `${where}: the ${WHAT[kind]} ${is}; the limit is ${formatBytes(limit)}`, { field: where, size, limit });
  }
}

/** The length of the Base64 text of `bytes` bytes (RFC 4648, padded): the cap for a Base64 request field. */
export function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** The message for a Base64 request field over its kind's limit (the schema's error; dispatch puts the channel and field before it). */
export function base64TooBig(kind: InputKind, chars: number): string {
  return `the ${WHAT[kind]} is about ${formatBytes(Math.floor((chars * 3) / 4))}; the limit is ${formatBytes(INPUT_LIMITS[kind])}`;
}

/** The message for a text request field over its kind's limit (PEM text), counted in UTF-16 code units like the schema. */
export function textTooBig(kind: InputKind, chars: number): string {
  return `the ${WHAT[kind]} is ${chars.toLocaleString('en-US')} characters; the limit is ${INPUT_LIMITS[kind].toLocaleString('en-US')}`;
}
