// Issue 11 fuzz: seeded, reproducible malformed PKCS#12 files, PEM text and encrypted PKCS#8 keys.
// Every outcome is a correct parse or a CertDeskError with an input code (never a TypeError,
// RangeError or INTERNAL), and no case does more key-derivation work than KDF_WORK_BUDGET
// (counted by kdfMeter, not by the clock). Seeds: test/fixtures/fuzz (make-fuzz-seeds.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parsePfx } from '../../electron/core/pki/pkcs12.js';
import { spkiOfCertificate, spkiOfPrivateKey } from '../../electron/core/pki/pkcs12-parse.js';
import { KDF_WORK_BUDGET, kdfMeter } from '../../electron/core/pki/kdf-budget.js';
import { pemBlocks, toPem } from '../../electron/core/pki/pem.js';
import { privateKeyToPkcs8 } from '../../electron/core/pki/keys.js';
import { CertDeskError } from '../../shared/errors.js';
import { Rng, fuzzCase, fuzzSeed, mutate } from '../helpers/fuzz.js';

const PW = 'fuzz seed';
const PFX_SEEDS = ['ours-modern.p12', 'ours-legacy.p12', 'openssl-aes.p12', 'openssl-3des.p12'];
const CASES_PER_PFX = 60;
const CASES_PER_TEXT = 30;

function seedFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../test/fixtures/fuzz/${name}`, import.meta.url))));
}

/** Fails unless `e` is a CertDeskError whose code `allowed` accepts. */
function expectInputError(e: unknown, allowed: (code: string) => boolean, where: string): string {
  if (!(e instanceof CertDeskError)) assert.fail(`${where}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  assert.ok(allowed(e.code), `${where}: code ${e.code} (${e.message})`);
  return e.code;
}

const pfxCode = (code: string): boolean => code.startsWith('PFX_') || code.startsWith('KEY_') || code === 'INVALID_INPUT';

/** Runs one case; returns the outcome ('ok' or the error code) and the KDF work it did. */
async function measured(run: () => Promise<string>): Promise<{ outcome: string; units: number }> {
  const before = kdfMeter.units;
  const outcome = await run();
  return { outcome, units: kdfMeter.units - before };
}

test('the unmutated seeds read', async () => {
  for (const name of PFX_SEEDS) {
    const back = await parsePfx(seedFile(name), PW);
    assert.equal(back.friendlyName, 'fuzz', name);
  }
  const text = Buffer.from(seedFile('bag-attributes.pem')).toString('latin1');
  assert.deepEqual(pemBlocks(text).map((b) => b.label), ['CERTIFICATE', 'PRIVATE KEY']);
  assert.equal(privateKeyToPkcs8(seedFile('key-aes.pem'), PW).length > 0, true);
});

test(`${PFX_SEEDS.length * CASES_PER_PFX} mutated PKCS#12 files: a correct parse or an input error, within the KDF budget`, { timeout: 300_000 }, async () => {
  const seed = fuzzSeed();
  const rng = new Rng(seed);
  const outcomes = new Map<string, number>();
  let worked = 0;
  let maxUnits = 0;
  for (const [s, name] of PFX_SEEDS.entries()) {
    const original = seedFile(name);
    for (let i = 0; i < CASES_PER_PFX; i++) {
      const where = `${name} ${fuzzCase(seed, s * CASES_PER_PFX + i)}`;
      let input = mutate(original, rng);
      if (rng.int(4) === 0) input = mutate(input, rng); // sometimes two mutations
      const { outcome, units } = await measured(async () => {
        try {
          const back = await parsePfx(input, PW);
          const certSpki = spkiOfCertificate(new X509Certificate(Buffer.from(back.certificate)));
          assert.ok(certSpki?.equals(spkiOfPrivateKey(back.privateKeyPkcs8)), `${where}: a parse must pair the key with its certificate`);
          return 'ok';
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
          return expectInputError(e, pfxCode, where);
        }
      });
      assert.ok(units <= KDF_WORK_BUDGET, `${where}: ${units} KDF units, above the budget of ${KDF_WORK_BUDGET}`);
      if (units > 0) worked++;
      maxUnits = Math.max(maxUnits, units);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
  }
  // Structural coverage: some cases got past the ASN.1 to the MAC or a decryption.
  assert.ok(worked > 0, 'no case reached a key derivation');
  console.log(`PKCS#12 fuzz (seed ${seed}): ${JSON.stringify(Object.fromEntries(outcomes))}; ${worked} cases ran a KDF, at most ${maxUnits} units`);
});

test(`${2 * CASES_PER_TEXT} mutated PEM texts and encrypted PKCS#8 keys: blocks or an input error`, { timeout: 120_000 }, () => {
  const seed = fuzzSeed();
  const rng = new Rng((seed ^ 0x9e37_79b9) >>> 0); // a stream of its own, replayed by the same seed
  const text = seedFile('bag-attributes.pem');
  const key = seedFile('key-aes.pem');
  const outcomes = new Map<string, number>();
  for (let i = 0; i < CASES_PER_TEXT; i++) {
    const where = `bag-attributes.pem ${fuzzCase(seed, i)}`;
    const input = Buffer.from(mutate(text, rng)).toString('latin1');
    let outcome = 'ok';
    try {
      for (const block of pemBlocks(input)) {
        // A block that reads re-armours to itself.
        assert.deepEqual(pemBlocks(toPem(block.der, block.label)), [block], where);
      }
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      outcome = expectInputError(e, (code) => code === 'INVALID_INPUT', where);
    }
    outcomes.set(`pem ${outcome}`, (outcomes.get(`pem ${outcome}`) ?? 0) + 1);
  }
  for (let i = 0; i < CASES_PER_TEXT; i++) {
    const where = `key-aes.pem ${fuzzCase(seed, CASES_PER_TEXT + i)}`;
    const input = mutate(key, rng);
    const before = kdfMeter.units;
    let outcome = 'ok';
    try {
      const pkcs8 = privateKeyToPkcs8(input, PW);
      createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    } catch (e) {
      outcome = expectInputError(e, (code) => code.startsWith('KEY_') || code === 'INVALID_INPUT' || code === 'UNSUPPORTED_KEY' || code === 'WEAK_KEY', where);
    }
    assert.equal(kdfMeter.units, before, 'reading a key file runs no JavaScript KDF');
    outcomes.set(`key ${outcome}`, (outcomes.get(`key ${outcome}`) ?? 0) + 1);
  }
  console.log(`PEM/PKCS#8 fuzz (seed ${seed}): ${JSON.stringify(Object.fromEntries(outcomes))}`);
});
