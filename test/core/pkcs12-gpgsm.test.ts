// gpgsmMisderives (pkcs12-gpgsm.ts) against an independent reimplementation of gpgsm 2.2's faulty
// PKCS#12 KDF, over seeded random salts; and the legacy writer never emitting a salt it flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDecipheriv } from 'node:crypto';
import * as asn1js from 'asn1js';
import { encryptLegacy, pfxPassword } from '../../electron/core/pki/pkcs12-cipher.js';
import { gpgsmMisderives } from '../../electron/core/pki/pkcs12-gpgsm.js';
import { KDF_ID, bmpPassword, pkcs12Kdf } from '../../electron/core/pki/pkcs12-kdf.js';
import { fuzzSeed, Rng } from '../helpers/fuzz.js';
import { gpgsmStringToKey } from '../helpers/gpgsm-kdf.js';

const PASSWORDS = ['correct horse', 'x', 'Legacy-Export-7', 'a password of 31 characters....'];
const SALTS_PER_PASSWORD = 5_000;

test('gpgsmMisderives flags exactly the salts gpgsm 2.2 derives a different 3DES key for (about 1 in 128)', () => {
  const seed = fuzzSeed();
  const rng = new Rng(seed);
  let flagged = 0;
  let total = 0;
  for (const password of PASSWORDS) {
    const bmp = bmpPassword(password);
    for (let n = 0; n < SALTS_PER_PASSWORD; n++) {
      const salt = rng.bytes(rng.pick([8, 16, 20]));
      const rfc = pkcs12Kdf('sha1', bmp, salt, KDF_ID.key, 1, 24);
      const gpgsm = gpgsmStringToKey(KDF_ID.key, salt, 1, password, 24);
      const differs = !Buffer.from(rfc).equals(gpgsm);
      const predicted = gpgsmMisderives(bmp, salt, rfc.subarray(0, 20), 24);
      assert.equal(predicted, differs, `seed ${seed}, password ${JSON.stringify(password)}, salt ${Buffer.from(salt).toString('hex')}`);
      if (differs) {
        flagged++;
        // Outputs of one hash block (IV 8, RC2-40 key 5, HMAC-SHA1 key 20) are never affected.
        for (const [id, length] of [[KDF_ID.iv, 8], [KDF_ID.key, 5], [KDF_ID.mac, 20]] as const) {
          assert.deepEqual(gpgsmStringToKey(id, salt, 1, password, length), pkcs12Kdf('sha1', bmp, salt, id, 1, length));
          assert.equal(gpgsmMisderives(bmp, salt, pkcs12Kdf('sha1', bmp, salt, id, 1, 20), length), false);
        }
      }
      total++;
    }
  }
  // Two 64-byte blocks, each hit when its sum's first byte is 0: p = 1 - (255/256)^2 ~ 1/128.4, so the
  // 20 000 salts give about 156 (standard deviation 12.4); the bounds are five deviations either side.
  const expected = total * (1 - (255 / 256) ** 2);
  assert.ok(Math.abs(flagged - expected) < 5 * Math.sqrt(expected), `flagged ${flagged} of ${total}, expected about ${expected.toFixed(0)}`);
  console.log(`# gpgsm 2.2 misderives the 3DES key for ${flagged} of ${total} salts (1 in ${(total / flagged).toFixed(1)})`);
});

test('gpgsmMisderives agrees with the reimplementation at 50 iterations too', () => {
  const rng = new Rng(fuzzSeed() ^ 0x50);
  const password = 'correct horse';
  const bmp = bmpPassword(password);
  let flagged = 0;
  for (let n = 0; n < 2000; n++) {
    const salt = rng.bytes(8);
    const rfc = pkcs12Kdf('sha1', bmp, salt, KDF_ID.key, 50, 24);
    const differs = !Buffer.from(rfc).equals(gpgsmStringToKey(KDF_ID.key, salt, 50, password, 24));
    assert.equal(gpgsmMisderives(bmp, salt, rfc.subarray(0, 20), 24), differs, `salt ${Buffer.from(salt).toString('hex')}`);
    if (differs) flagged++;
  }
  assert.ok(flagged > 0, 'some of the 2000 salts hit the fault (expected about 15.6)');
});

test('gpgsmMisderives refuses a first block that is not 20 bytes and lengths over 40', () => {
  const bmp = bmpPassword('pw');
  assert.throws(() => gpgsmMisderives(bmp, new Uint8Array(8), new Uint8Array(19), 24), { name: 'RangeError', message: /first block must be 20 bytes, not 19/ });
  assert.throws(() => gpgsmMisderives(bmp, new Uint8Array(8), new Uint8Array(20), 41), { name: 'RangeError', message: /length must be 1 to 40 bytes/ });
});

function saltOf(algorithm: asn1js.Sequence): Uint8Array {
  const params = algorithm.valueBlock.value[1] as asn1js.Sequence;
  return (params.valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView;
}

/** Salts for `password` at `iterations` that gpgsm 2.2 misderives (true) or derives right (false). */
function findSalts(rng: Rng, password: string, iterations: number, misderived: boolean, count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  while (out.length < count) {
    const salt = rng.bytes(16);
    const differs = !Buffer.from(pkcs12Kdf('sha1', bmpPassword(password), salt, KDF_ID.key, iterations, 24)).equals(
      gpgsmStringToKey(KDF_ID.key, salt, iterations, password, 24),
    );
    if (differs === misderived) out.push(salt);
  }
  return out;
}

test('encryptLegacy draws another salt while gpgsm would misderive the key, and only then', () => {
  const password = 'correct horse';
  const pw = pfxPassword(password);
  const plain = new Uint8Array(100).fill(7);
  const rng = new Rng(fuzzSeed() ^ 0x3de5);
  const bad = findSalts(rng, password, 1, true, 3);
  const [good] = findSalts(rng, password, 1, false, 1);
  const queue = [...bad, good!];
  let draws = 0;
  const out = encryptLegacy(plain, pw, 1, () => {
    draws++;
    return queue.shift()!;
  });
  assert.equal(draws, 4, 'three flagged salts discarded, the fourth used');
  assert.deepEqual(Buffer.from(saltOf(out.algorithm)), Buffer.from(good!));
  // gpgsm's own derivation decrypts what was written.
  const key = gpgsmStringToKey(KDF_ID.key, good!, 1, password, 24);
  const iv = gpgsmStringToKey(KDF_ID.iv, good!, 1, password, 8);
  const d = createDecipheriv('des-ede3-cbc', key, iv);
  assert.deepEqual(Buffer.concat([d.update(out.ciphertext), d.final()]), Buffer.from(plain));

  // A salt source that only ever gives flagged salts ends in a clear INTERNAL error, not a hang.
  assert.throws(() => encryptLegacy(plain, pw, 1, () => bad[0]!), { name: 'CertDeskError', code: 'INTERNAL', message: /no salt out of 32 avoids the gpgsm 2\.2 key derivation fault/ });
});

test('encryptLegacy with random salts: 3000 encryptions, every one decrypts with gpgsm 2.2 derivation', () => {
  const password = 'Legacy-Export-7';
  const pw = pfxPassword(password);
  const plain = new Uint8Array(40).fill(1);
  let draws = 0;
  let discarded = 0;
  for (let n = 0; n < 3000; n++) {
    const out = encryptLegacy(plain, pw, 1, () => {
      draws++;
      const salt = new Uint8Array(globalThis.crypto.getRandomValues(new Uint8Array(16)));
      if (!Buffer.from(pkcs12Kdf('sha1', pw.bmp, salt, KDF_ID.key, 1, 24)).equals(gpgsmStringToKey(KDF_ID.key, salt, 1, password, 24))) discarded++;
      return salt;
    });
    const salt = saltOf(out.algorithm);
    const d = createDecipheriv('des-ede3-cbc', gpgsmStringToKey(KDF_ID.key, salt, 1, password, 24), gpgsmStringToKey(KDF_ID.iv, salt, 1, password, 8));
    assert.deepEqual(Buffer.concat([d.update(out.ciphertext), d.final()]), Buffer.from(plain));
  }
  assert.ok(discarded > 0, 'some of the draws hit the fault (expected about 23; none has probability e^-23)');
  assert.equal(draws, 3000 + discarded, 'exactly the salts gpgsm misderives were drawn again');
  console.log(`# 3000 legacy encryptions drew ${draws} salts (${discarded} discarded)`);
});
