// The RFC 7292 appendix B KDF (pki/pkcs12-kdf.ts) against OpenSSL 3's own PKCS12KDF, run live on random inputs:
// every hash a PFX can name (SHA-1 and SHA-224/256 through @noble/hashes, SHA-384/512 through node:crypto), round
// counts of 1, 2, 3 and beyond a thousand, outputs shorter than one hash, one hash exactly and several chains
// (B.2 step 6C), passwords and salts longer than one input block, and the empty "NULL password". test/core/pkcs12.test.ts holds fixed vectors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { bmpPassword, digestLength, pkcs12Kdf, type KdfId, type Pkcs12Hash } from '../../electron/core/pki/pkcs12-kdf.js';
import { needTools, run, runOk } from '../helpers/tools.js';

const HASHES: Pkcs12Hash[] = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'];
const ROUNDS = [1, 2, 3, 1031];

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** `openssl kdf ... PKCS12KDF`'s output as lower-case hex (it prints upper-case bytes separated by colons). */
function opensslKdf(hash: Pkcs12Hash, password: Uint8Array, salt: Uint8Array, id: KdfId, iterations: number, length: number): string {
  const out = runOk('openssl', [
    'kdf',
    '-keylen', String(length),
    '-kdfopt', `digest:${hash.toUpperCase()}`,
    '-kdfopt', `hexpass:${hex(password)}`,
    '-kdfopt', `hexsalt:${hex(salt)}`,
    '-kdfopt', `iter:${iterations}`,
    '-kdfopt', `id:${id}`,
    'PKCS12KDF',
  ]).stdout;
  return out.trim().replaceAll(':', '').toLowerCase();
}

test('the PKCS#12 KDF gives OpenSSL 3 PKCS12KDF bytes for every hash, round count and length', (t) => {
  if (!needTools(t, 'openssl')) return;
  // OpenSSL before 3.0 and LibreSSL have no PKCS12KDF for `openssl kdf`: skipped there, a failure under CI.
  const probe = run('openssl', ['kdf', '-keylen', '8', '-kdfopt', 'digest:SHA1', '-kdfopt', 'pass:x', '-kdfopt', 'hexsalt:00', '-kdfopt', 'iter:1', '-kdfopt', 'id:1', 'PKCS12KDF']);
  if (probe.status !== 0) {
    if (process.env.CI === 'true') throw new Error(`openssl kdf has no PKCS12KDF under CI: ${probe.stderr.trim()}`);
    t.skip('this openssl has no PKCS12KDF for `openssl kdf` (OpenSSL 3 has)');
    return;
  }
  let cases = 0;
  for (const hash of HASHES) {
    const u = digestLength(hash);
    for (const iterations of ROUNDS) {
      for (const length of [u - 1, u, 2 * u + 5]) {
        const id = ((cases % 3) + 1) as KdfId;
        // Passwords of 1 to 80 characters, some outside Latin-1; salts of 1 to 150 bytes (beyond a 128-byte block).
        const chars = Array.from({ length: randomInt(1, 81) }, () => String.fromCharCode(randomInt(0, 3) === 0 ? randomInt(0x100, 0xd800) : randomInt(0x20, 0x7f)));
        const password = bmpPassword(chars.join(''));
        const salt = randomBytes(randomInt(1, 151));
        const ours = Buffer.from(pkcs12Kdf(hash, password, salt, id, iterations, length)).toString('hex');
        const inputs = `${hash}, ${iterations} rounds, ${length} bytes, id ${id}, password (BMPString) ${hex(password)}, salt ${hex(salt)}`;
        assert.equal(ours, opensslKdf(hash, password, salt, id, iterations, length), inputs);
        cases++;
      }
    }
    // The "NULL password" (no bytes at all, not even the BMPString's terminator) that some writers use.
    const salt = randomBytes(8);
    const none = new Uint8Array(0);
    assert.equal(Buffer.from(pkcs12Kdf(hash, none, salt, 3, 2048, u)).toString('hex'), opensslKdf(hash, none, salt, 3, 2048, u), `${hash}, no password, salt ${hex(salt)}`);
    cases++;
  }
  assert.equal(cases, HASHES.length * (ROUNDS.length * 3 + 1));
});
