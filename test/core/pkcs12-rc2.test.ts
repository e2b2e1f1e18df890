// RC2-CBC decryption (pkcs12-rc2.ts, node-forge underneath) against OpenSSL's legacy-provider RC2,
// and its refusals; and algorithm names in PFX_UNSUPPORTED messages.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { algorithmLabel, unsupportedAlgorithm } from '../../electron/core/pki/pkcs12-algorithm-names.js';
import { Rc2PaddingError, decryptRc2Pbe, rc2CbcDecrypt } from '../../electron/core/pki/pkcs12-rc2.js';
import { certErr } from '../helpers/engine-vault.js';
import { fuzzSeed, Rng } from '../helpers/fuzz.js';
import { needTools } from '../helpers/tools.js';

/** openssl enc with the legacy provider: RC2-CBC with PKCS#7 padding and effective bits = key bits. */
function opensslRc2(t: TestContext, key: Uint8Array, iv: Uint8Array, plain: Uint8Array): Buffer | null {
  const cipher = key.length === 5 ? 'rc2-40-cbc' : key.length === 8 ? 'rc2-64-cbc' : 'rc2-cbc';
  const args = ['enc', `-${cipher}`, '-K', Buffer.from(key).toString('hex'), '-iv', Buffer.from(iv).toString('hex'), '-provider', 'legacy', '-provider', 'default'];
  const r = spawnSync('openssl', args, { input: Buffer.from(plain) }); // binary stdout: not tools.run, which decodes text
  if (r.status !== 0) {
    if (process.env.CI === 'true') throw new Error('openssl has no legacy provider for RC2');
    t.skip('this openssl has no legacy provider');
    return null;
  }
  return r.stdout;
}

test('rc2CbcDecrypt matches OpenSSL RC2-40 and RC2-128 over seeded random keys, IVs and lengths', (t) => {
  if (!needTools(t, 'openssl')) return;
  const rng = new Rng(fuzzSeed() ^ 0x4c2);
  for (let n = 0; n < 24; n++) {
    const key = rng.bytes(n % 2 === 0 ? 5 : 16);
    const iv = rng.bytes(8);
    const plain = rng.bytes(rng.int(70));
    const ciphertext = opensslRc2(t, key, iv, plain);
    if (!ciphertext) return;
    assert.equal(ciphertext.length, (Math.floor(plain.length / 8) + 1) * 8);
    assert.deepEqual(Buffer.from(rc2CbcDecrypt(key, iv, ciphertext)), Buffer.from(plain), `case ${n}`);
  }
});

test('rc2CbcDecrypt refuses bad padding, a wrong IV length and partial blocks', (t) => {
  if (!needTools(t, 'openssl')) return;
  const key = Buffer.from('0102030405', 'hex');
  const iv = Buffer.from('0011223344556677', 'hex');
  const ciphertext = opensslRc2(t, key, iv, Buffer.from('sixteen bytes!!!'))!;
  if (!ciphertext) return;
  // A different key: the padding cannot be checked out (last block decrypts to garbage) in these bytes.
  assert.throws(() => rc2CbcDecrypt(Buffer.from('0102030406', 'hex'), iv, ciphertext), Rc2PaddingError);
  assert.throws(() => decryptRc2Pbe(Buffer.from('0102030406', 'hex'), iv, ciphertext, 'SafeContents 1'), certErr('PFX_BAD_PASSWORD', 'SafeContents 1 could not be decrypted: wrong password'));
  assert.throws(() => rc2CbcDecrypt(key, iv.subarray(0, 7), ciphertext), { name: 'RangeError', message: 'RC2-CBC: the IV must be 8 bytes, not 7' });
  assert.throws(() => decryptRc2Pbe(key, iv, ciphertext.subarray(0, 20), 'SafeContents 1'), certErr('PFX_MALFORMED', 'SafeContents 1: the ciphertext is not a whole number of RC2 blocks'));
  assert.throws(() => decryptRc2Pbe(key, iv, new Uint8Array(0), 'SafeContents 1'), certErr('PFX_MALFORMED', 'whole number of RC2 blocks'));
});

test('unsupported algorithms are named by name and OID', () => {
  assert.equal(algorithmLabel('1.2.840.113549.1.12.1.1'), 'pbeWithSHAAnd128BitRC4 (OID 1.2.840.113549.1.12.1.1)');
  assert.equal(algorithmLabel('1.2.3.4'), 'an unrecognised algorithm (OID 1.2.3.4)');
  assert.throws(() => {
    throw unsupportedAlgorithm('MAC algorithm', '1.2.840.113549.2.5');
  }, certErr('PFX_UNSUPPORTED', 'PKCS#12 file uses an unsupported MAC algorithm: MD5 (OID 1.2.840.113549.2.5)'));
});
