// Seeded fuzz of the quorum share file (electron/core/quorum/share-file.ts): every mutation of a share file's
// bytes is refused by parseShare with SHARE_REJECTED "share file F is damaged or was altered (...)", unless it
// only changed what the format allows (CRLF line ends, the final newline), in which case it reads back as
// exactly the same share. Nothing else is thrown, and no mutated share reaches the passphrase step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CertDeskError } from '../../shared/errors.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { parseShare } from '../../electron/core/quorum/share-file.js';
import { setQuorum } from '../../electron/core/quorum/split.js';
import { newVault } from '../helpers/engine-vault.js';
import { fuzzCase, fuzzSeed, mutate, Rng } from '../helpers/fuzz.js';
import { tempDir } from '../helpers/tmp.js';

const CASES = 2000;

test('every mutated share file is refused as damaged, or reads back as the same share', async (t) => {
  const { vault } = await newVault(t);
  await createCa(vault, { name: 'Root', subject: 'CN=Fuzz Root', keyType: 'ec-p256' });
  const split = await setQuorum(vault, 'Root', { holders: ['Alice', 'Bob'], threshold: 2, passphrases: ['alice quartz meadow lantern 41', 'bob copper harbour violin 72'], out: tempDir(t) });
  const original = readFileSync(split.files[0]!.share);
  const expected = parseShare(original, 'f');
  const seed = fuzzSeed();
  const rng = new Rng(seed);
  let refused = 0;
  let same = 0;
  for (let i = 0; i < CASES; i++) {
    const bad = mutate(original, rng);
    try {
      const parsed = parseShare(bad, 'f');
      assert.deepEqual(parsed, expected, `${fuzzCase(seed, i)}: a mutation read back as a different share`);
      assert.equal(Buffer.from(bad).toString('utf8').replace(/\r\n/g, '\n').replace(/\n?$/, '\n'), original.toString('utf8'), `${fuzzCase(seed, i)}: accepted bytes other than the same text`);
      same++;
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assert.ok(e instanceof CertDeskError, `${fuzzCase(seed, i)}: ${String(e)}`);
      assert.equal(e.code, 'SHARE_REJECTED', `${fuzzCase(seed, i)}: ${e.message}`);
      assert.match(e.message, /^share file f is damaged or was altered \(.+\): it is not used$/, fuzzCase(seed, i));
      refused++;
    }
  }
  assert.equal(refused + same, CASES);
  assert.ok(refused > CASES * 0.9, `most mutations change the share: ${refused} refused, ${same} the same text`);
});
