// Issue 13: buildPfx's read-back check finds the keys the write derived (pkcs12-cipher.ts KdfMemo) instead
// of running every key derivation a second time. Counted in KDF work units (kdfMeter), never by the clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPfx, parsePfx } from '../../electron/core/pki/pkcs12.js';
import { parsePfxWith } from '../../electron/core/pki/pkcs12-parse.js';
import { kdfMeter } from '../../electron/core/pki/kdf-budget.js';
import { fixture } from '../helpers/pfx-fixtures.js';

const PW = 'Read-back-once-1';
// One round of the JavaScript PKCS#12 KDF per output block counts 4 units; 10,000 rounds each.
const MAC_UNITS = 4 * 10_000;
const PBKDF2_UNITS = 10_000; // one PBKDF2-SHA256 block, metered only when reading
const TRIPLE_DES_KEY_UNITS = 2 * 4 * 10_000; // 24 bytes: two SHA-1 blocks
const IV_UNITS = 4 * 10_000;

async function unitsOf<T>(run: () => Promise<T>): Promise<{ value: T; units: number }> {
  const before = kdfMeter.units;
  const value = await run();
  return { value, units: kdfMeter.units - before };
}

test('a modern PFX is written and checked with one MAC derivation: the read-back derives nothing again', async () => {
  const f = await fixture('ec-p256');
  const built = await unitsOf(() => buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: f.chain, password: PW, encryption: 'modern', friendlyName: 'a' }));
  assert.equal(built.units, MAC_UNITS, 'only the write derives (its PBKDF2 runs are not metered): the MAC key, once');
  // A reader without the memo runs everything: the MAC and both PBKDF2 bags.
  const read = await unitsOf(() => parsePfx(built.value, PW));
  assert.equal(read.units, MAC_UNITS + 2 * PBKDF2_UNITS);
  assert.deepEqual(read.value.privateKeyPkcs8, f.pkcs8);
});

test('a legacy PFX is written and checked with each 3DES key, IV and MAC derived once', async () => {
  const f = await fixture('ec-p256');
  const built = await unitsOf(() => buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: f.chain, password: PW, encryption: 'legacy', friendlyName: 'a' }));
  const oneFile = 2 * (TRIPLE_DES_KEY_UNITS + IV_UNITS) + MAC_UNITS;
  // The writer draws another salt when gpgsm 2.2 would misderive the 3DES key (about 1 bag in 128): one more key derivation each.
  const redraws = (built.units - oneFile) / TRIPLE_DES_KEY_UNITS;
  assert.ok(Number.isInteger(redraws) && redraws >= 0 && redraws <= 2, `write and read-back cost ${built.units} units: one file's ${oneFile} plus whole redraws, not a second pass`);
  const read = await unitsOf(() => parsePfx(built.value, PW));
  assert.equal(read.units, oneFile);
});

test('the memo only answers the exact inputs: keys derived for other salts are not used, the file still reads', async () => {
  const f = await fixture('ec-p256');
  const pfx = await buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: f.chain, password: PW, encryption: 'modern', friendlyName: 'a' });
  const other = await buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: f.chain, password: PW, encryption: 'modern', friendlyName: 'a' });
  const memo = new Map<string, Uint8Array>();
  const first = await unitsOf(() => parsePfxWith(other, PW, memo));
  assert.equal(first.units, MAC_UNITS + 2 * PBKDF2_UNITS);
  assert.equal(memo.size, 3, 'the MAC key and the two bag keys are kept');
  // Another file has other salts: nothing matches, everything is derived and it reads correctly.
  const second = await unitsOf(() => parsePfxWith(pfx, PW, memo));
  assert.equal(second.units, MAC_UNITS + 2 * PBKDF2_UNITS);
  assert.deepEqual(second.value.privateKeyPkcs8, f.pkcs8);
  // The same file again: every key is found.
  const again = await unitsOf(() => parsePfxWith(pfx, PW, memo));
  assert.equal(again.units, 0);
  // A wrong password never reaches the memo's keys: its own derivation fails the MAC.
  await assert.rejects(parsePfxWith(pfx, 'wrong password', memo), { code: 'PFX_BAD_PASSWORD', message: 'the PKCS#12 MAC does not verify: wrong password or damaged file' });
});
