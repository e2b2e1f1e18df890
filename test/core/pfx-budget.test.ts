// Issue 11: one key-derivation budget per imported file, checked before any KDF runs; iteration
// counts of 2^23 and up read correctly; several keys refused by count, naming them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { buildPfx, maxExportIterations, parsePfx } from '../../electron/core/pki/pkcs12.js';
import { bmpPassword } from '../../electron/core/pki/pkcs12-kdf.js';
import { computeMac } from '../../electron/core/pki/pkcs12-cipher.js';
import { OID, derOf, explicit, integer, octetString, oid, sequence } from '../../electron/core/pki/pkcs12-asn1.js';
import { KDF_WORK_BUDGET, kdfMeter } from '../../electron/core/pki/kdf-budget.js';
import { privateKeyToPkcs8 } from '../../electron/core/pki/keys.js';
import { toPem } from '../../electron/core/pki/pem.js';
import { fixture } from '../helpers/pfx-fixtures.js';
import { needTools, runOk } from '../helpers/tools.js';

const PW = 'correct horse';
const BUDGET_TEXT = 'above the budget of 67,108,864 per file (1 unit = one PBKDF2-HMAC-SHA256 iteration; a round of the PKCS#12 KDF counts 4)';

/** An INTEGER from a bigint, any size (asn1js's number constructor stops at 2^53). */
function bigInteger(value: bigint): asn1js.Integer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex[0]!, 16) >= 8) hex = `00${hex}`;
  return new asn1js.Integer({ valueHex: Buffer.from(hex, 'hex') });
}

/** A legacy (3DES, PKCS#12 KDF) shrouded key bag with the given count; the ciphertext is noise: it is never decrypted. */
function legacyKeyBag(iterations: bigint, friendlyName: string): asn1js.Sequence {
  const algorithm = sequence(oid(OID.pbeSha1TripleDes), sequence(octetString(randomBytes(16)), bigInteger(iterations)));
  const name = sequence(oid(OID.friendlyName), new asn1js.Set({ value: [new asn1js.BmpString({ value: friendlyName })] }));
  return sequence(oid(OID.shroudedKeyBag), explicit(0, sequence(algorithm, octetString(randomBytes(64)))), new asn1js.Set({ value: [name] }));
}

/**
 * A PFX with one plain Data safe holding `bags`, MACed (SHA-256, 2,048 iterations) with PW; or,
 * with `macIterations`, a MacData naming that count and a MAC value of zeros (for refusals).
 */
function pfxWithBags(bags: asn1js.Sequence[], macIterations?: bigint): Uint8Array {
  const authSafe = derOf(sequence(sequence(oid(OID.data), explicit(0, octetString(derOf(sequence(...bags)))))));
  const salt = randomBytes(16);
  const mac = macIterations ? new Uint8Array(32) : computeMac({ hash: 'sha256', salt, iterations: 2048 }, bmpPassword(PW), authSafe);
  const digestInfo = sequence(sequence(oid(OID.sha256), new asn1js.Null()), octetString(mac));
  const count = macIterations ? bigInteger(macIterations) : integer(2048);
  return derOf(sequence(integer(3), sequence(oid(OID.data), explicit(0, octetString(authSafe))), sequence(digestInfo, octetString(salt), count)));
}

/** An EncryptedPrivateKeyInfo (PBES2/PBKDF2) re-encoded with another PBKDF2 iteration count. */
function withPbkdf2Iterations(der: Uint8Array, iterations: bigint): Uint8Array {
  const root = asn1js.fromBER(der).result as asn1js.Sequence;
  const pbes2Params = (root.valueBlock.value[0] as asn1js.Sequence).valueBlock.value[1] as asn1js.Sequence;
  const kdf = pbes2Params.valueBlock.value[0] as asn1js.Sequence;
  const pbkdf2Params = kdf.valueBlock.value[1] as asn1js.Sequence;
  assert.ok(pbkdf2Params.valueBlock.value[1] instanceof asn1js.Integer);
  pbkdf2Params.valueBlock.value[1] = bigInteger(iterations);
  return new Uint8Array(root.toBER(false));
}

async function refusedWithoutWork(p: Promise<unknown>, code: string, message: string): Promise<void> {
  const before = kdfMeter.units;
  await assert.rejects(p, { name: 'CertDeskError', code, message });
  assert.equal(kdfMeter.units - before, 0, 'no KDF work was done before refusing');
}

test('20 legacy key bags at 1,000,000 iterations: refused by count, naming them, before any KDF', async () => {
  const bags = Array.from({ length: 20 }, (_, i) => legacyKeyBag(1_000_000n, `key ${i + 1}`));
  await refusedWithoutWork(
    parsePfx(pfxWithBags(bags), PW),
    'PFX_UNSUPPORTED',
    'the PKCS#12 file holds 20 private keys (friendly names "key 1", "key 2", "key 3", "key 4", "key 5" and 15 more); CertDesk imports a file with one key and its certificate',
  );
});

test('one legacy key bag at 10,000,000 iterations: refused by the budget before any KDF', async () => {
  // key: 2 SHA-1 blocks x 4 units x 10^7 = 80,000,000; IV: 1 block = 40,000,000; MAC: 1 block x 4 x 2,048 = 8,192.
  await refusedWithoutWork(
    parsePfx(pfxWithBags([legacyKeyBag(10_000_000n, 'big')]), PW),
    'PFX_UNSUPPORTED',
    'the PKCS#12 file asks for 120,008,192 units of key-derivation work (SafeContents 1 bag 1 key: 10,000,000 PKCS#12-KDF iterations; ' +
      `SafeContents 1 bag 1 IV: 10,000,000 PKCS#12-KDF iterations; MAC: 2,048 PKCS#12-KDF iterations), ${BUDGET_TEXT}`,
  );
});

test('counts of 2^23 and 2^64 are read as such, not as 0', async () => {
  await refusedWithoutWork(
    parsePfx(pfxWithBags([legacyKeyBag(8_388_608n, 'k')]), PW),
    'PFX_UNSUPPORTED',
    'the PKCS#12 file asks for 100,671,488 units of key-derivation work (SafeContents 1 bag 1 key: 8,388,608 PKCS#12-KDF iterations; ' +
      `SafeContents 1 bag 1 IV: 8,388,608 PKCS#12-KDF iterations; MAC: 2,048 PKCS#12-KDF iterations), ${BUDGET_TEXT}`,
  );
  await refusedWithoutWork(
    parsePfx(pfxWithBags([legacyKeyBag(2n ** 64n, 'k')]), PW),
    'PFX_MALFORMED',
    'not a valid PKCS#12 file: SafeContents 1 bag 1 PBE iteration count is 18446744073709551616, outside 1 to 9007199254740991',
  );
});

test('a MAC count of 2^23 is read as 8,388,608 (named in the refusal of a file over the budget)', async () => {
  // MAC: 4 x 2^23 = 33,554,432; the bag at 3,000,000: 12 x 3,000,000 = 36,000,000.
  await refusedWithoutWork(
    parsePfx(pfxWithBags([legacyKeyBag(3_000_000n, 'k')], 8_388_608n), PW),
    'PFX_UNSUPPORTED',
    'the PKCS#12 file asks for 69,554,432 units of key-derivation work (MAC: 8,388,608 PKCS#12-KDF iterations; ' +
      `SafeContents 1 bag 1 key: 3,000,000 PKCS#12-KDF iterations; SafeContents 1 bag 1 IV: 3,000,000 PKCS#12-KDF iterations), ${BUDGET_TEXT}`,
  );
});

test('openssl pkcs12 -export -iter 8388608 (PBKDF2-SHA256 key bag at 2^23) imports, with exactly that work', { timeout: 180_000 }, (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-iter-'));
  return (async () => {
    const f = await fixture('ec-p256');
    writeFileSync(join(dir, 'k.pem'), toPem(f.pkcs8, 'PRIVATE KEY'));
    writeFileSync(join(dir, 'c.pem'), toPem(f.leaf));
    // -certpbe NONE and -nomaciter keep the test to one 2^23 derivation (native PBKDF2); the MAC
    // count's reading is proven above without running 2^23 rounds of the JavaScript KDF.
    const args = ['-in', join(dir, 'c.pem'), '-inkey', join(dir, 'k.pem'), '-passout', `pass:${PW}`, '-iter', '8388608', '-certpbe', 'NONE', '-nomaciter'];
    runOk('openssl', ['pkcs12', '-export', ...args, '-out', join(dir, 'a.p12')]);
    const before = kdfMeter.units;
    const back = await parsePfx(readFileSync(join(dir, 'a.p12')), PW);
    assert.equal(kdfMeter.units - before, 8_388_608 + 4, 'one PBKDF2-SHA256 block at 2^23 and a one-round SHA-256 MAC');
    assert.deepEqual(Buffer.from(back.privateKeyPkcs8), createPrivateKey({ key: Buffer.from(f.pkcs8), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'der' }));
    assert.deepEqual(Buffer.from(back.certificate), Buffer.from(f.leaf));
  })().finally(() => rmSync(dir, { recursive: true, force: true }));
});

test('an encrypted PKCS#8 key asking for 100,000,000 PBKDF2 iterations is refused before decryption', () => {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase: PW });
  const raised = withPbkdf2Iterations(new Uint8Array(pem), 100_000_000n);
  const before = kdfMeter.units;
  assert.throws(() => privateKeyToPkcs8(raised, PW, 'key'), {
    name: 'CertDeskError',
    code: 'INVALID_INPUT',
    message: `key: the encrypted private key asks for 100,000,000 units of key-derivation work (key encryption: 100,000,000 PBKDF2 iterations), ${BUDGET_TEXT}`,
  });
  assert.throws(() => privateKeyToPkcs8(Buffer.from(toPem(raised, 'ENCRYPTED PRIVATE KEY')), PW, 'key'), { code: 'INVALID_INPUT', message: /100,000,000 PBKDF2 iterations/ });
  assert.equal(kdfMeter.units, before);
  // The same key at the count Node wrote still opens.
  assert.equal(privateKeyToPkcs8(new Uint8Array(pem), PW, 'key').length > 0, true);
});

test('an encrypted PKCS#8 key with scrypt N=2^20, r=8, p=1000 is refused before decryption', () => {
  const scrypt = sequence(
    oid('1.3.6.1.4.1.11591.4.11'),
    sequence(octetString(randomBytes(16)), integer(2 ** 20), integer(8), integer(1000)),
  );
  const algorithm = sequence(oid(OID.pbes2), sequence(scrypt, sequence(oid(OID.aes256Cbc), octetString(randomBytes(16)))));
  const info = derOf(sequence(algorithm, octetString(randomBytes(160))));
  assert.throws(() => privateKeyToPkcs8(info, PW, 'key'), {
    name: 'CertDeskError',
    code: 'INVALID_INPUT',
    message: `key: the encrypted private key asks for 25,165,824,000 units of key-derivation work (key encryption: scrypt with N x r x p = 8,388,608,000), ${BUDGET_TEXT}`,
  });
});

test('buildPfx refuses counts whose read-back would exceed the budget', async () => {
  assert.equal(maxExportIterations('legacy'), Math.floor(KDF_WORK_BUDGET / 28)); // 2 x (2 key + 1 IV blocks) + 1 MAC block, 4 units each
  assert.equal(maxExportIterations('modern'), 10_000_000); // 6 units per iteration would allow 11,184,810: the per-field cap holds
  const f = await fixture('ec-p256');
  await assert.rejects(
    buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: [], password: PW, encryption: 'legacy', friendlyName: '', iterations: 2_396_746 }),
    { code: 'INVALID_INPUT', message: 'PKCS#12 iterations for legacy encryption must be an integer from 10000 to 2396745' },
  );
});
