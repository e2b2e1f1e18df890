// Seeded fuzzing of backup verification (issue 15): any mutation of a backup file, with its checksum left as it
// was or recomputed (as someone editing it on purpose would), is refused with a CertDeskError naming one of the
// documented reasons, never another exception, never a hang and never a success, unless the mutated file is
// byte for byte the original (a flip inside the checksum that recomputing puts back).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import { createBackup } from '../../electron/core/backup/create-backup.js';
import { openBackup } from '../../electron/core/backup/verify-backup.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { readFileSync } from 'node:fs';
import { CertDeskError } from '../../shared/errors.js';
import { newVault, PASSPHRASE } from '../helpers/engine-vault.js';
import { fuzzCase, fuzzSeed, mutate, Rng } from '../helpers/fuzz.js';

const CASES = 300;
const ALLOWED = new Set(['INVALID_INPUT', 'VAULT_TAMPERED', 'VAULT_TOO_NEW', 'VAULT_WRONG_PASSPHRASE']);

function resum(bytes: Buffer): Buffer {
  if (bytes.length < 32) return bytes;
  const body = bytes.subarray(0, bytes.length - 32);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

test(`backup verify: ${CASES} seeded mutations, checksum kept or recomputed, each refused with a documented error`, { timeout: 300_000 }, async (t) => {
  const { vault, dir } = await newVault(t);
  await createCa(vault, { name: 'Root', subject: 'CN=Fuzz Root', keyType: 'ec-p256' });
  const out = join(dir, 'b.certdesk-backup');
  await createBackup(vault, PASSPHRASE, out);
  const original = readFileSync(out);
  const seed = fuzzSeed();
  const rng = new Rng(seed);
  const seen = new Map<string, number>();
  let identical = 0;
  for (let i = 0; i < CASES; i++) {
    const mutated = Buffer.from(mutate(original, rng));
    const input = i % 2 === 0 ? mutated : resum(mutated);
    let outcome: string;
    try {
      await openBackup(input, 'fuzz.certdesk-backup', PASSPHRASE);
      assert.ok(input.equals(original), `${fuzzCase(seed, i)}: a changed file was accepted`);
      identical++;
      continue;
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assert.ok(e instanceof CertDeskError, `${fuzzCase(seed, i)}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      assert.ok(ALLOWED.has(e.code), `${fuzzCase(seed, i)}: ${e.code}: ${e.message}`);
      assert.match(e.message, /^(fuzz\.certdesk-backup |wrong passphrase for fuzz\.certdesk-backup: )/, fuzzCase(seed, i));
      outcome = `${e.code}: ${e.message.replace(/^.*?fuzz\.certdesk-backup:? /, '').replace(/\d+/g, 'N').slice(0, 60)}`;
    }
    seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
  }
  t.diagnostic(`${identical} identical after recomputing; outcomes: ${JSON.stringify(Object.fromEntries(seen))}`);
  // Not vacuous: the recomputed-checksum half reached the MAC, and the kept-checksum half the checksum.
  const reached = (prefix: string) => [...seen.keys()].some((k) => k.startsWith(prefix));
  assert.ok(reached('VAULT_TAMPERED: was altered: its MAC does not match'), 'some mutations reached the MAC check');
  assert.ok(reached('VAULT_TAMPERED: is damaged or was altered: its SHA-N checksum'), 'some mutations were caught by the checksum');
});
