// The vault passphrase rule (electron/core/vault/passphrase-rule.ts): creating a vault or changing its passphrase
// refuses one zxcvbn-ts scores below 3 of 4, with the reason and zxcvbn's suggestion; opening a vault whose
// existing passphrase is weak still works (the rule is for new passphrases only).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { Vault } from '../../electron/core/vault/vault.js';
import { deriveKek, open, seal, type KdfParams } from '../../electron/core/vault/vault-crypto.js';
import { loadPassphraseEstimator, passphraseWeakness } from '../../shared/passphrase-strength.js';
import { certErr, newVault, PASSPHRASE, TEST_KDF } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';

const WEAK = 'aaaaaaaaaa';
const WEAK_MESSAGE =
  'passphrase: too easy to guess (strength 0 of 4, about 7 bits; at least 3 of 4 is needed). Repeated characters like "aaa" are easy to guess. Add more words that are less common. Avoid repeated words and characters.';

test('the estimator: aaaaaaaaaa and a common password are weak with zxcvbn\'s advice; four words are not', async () => {
  const estimate = await loadPassphraseEstimator();
  assert.deepEqual(estimate(WEAK), { score: 0, bits: 7, warning: 'Repeated characters like "aaa" are easy to guess.', suggestions: ['Add more words that are less common.', 'Avoid repeated words and characters.'] });
  assert.equal(passphraseWeakness(estimate('password123')), 'too easy to guess (strength 0 of 4, about 10 bits; at least 3 of 4 is needed). This is a commonly used password. Add more words that are less common.');
  assert.equal(passphraseWeakness(estimate('correct horse battery staple')), null);
  assert.equal(estimate('correct horse battery staple').score, 4);
});

test('creating a vault with a weak passphrase is refused with the reason; no file is left', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'weak.certdesk');
  await assert.rejects(Vault.create(path, WEAK, { kdf: { ...TEST_KDF } }), (e: unknown) => certErr('INVALID_INPUT')(e) && (e as Error).message === WEAK_MESSAGE);
  assert.equal(existsSync(path), false);
});

test('changing to a weak passphrase is refused; the old one still unlocks', async (t) => {
  const { vault, path } = await newVault(t);
  await assert.rejects(vault.changePassphrase(PASSPHRASE, WEAK), (e: unknown) => certErr('INVALID_INPUT')(e) && (e as Error).message === WEAK_MESSAGE);
  vault.close();
  const again = Vault.open(path, { kdf: { ...TEST_KDF } });
  t.after(() => again.close());
  await again.unlock(PASSPHRASE);
  assert.equal(again.unlocked, true);
});

test('a vault whose existing passphrase is weak still opens (the rule is for new passphrases only)', async (t) => {
  const { vault, path } = await newVault(t);
  vault.close();
  // A vault from before the rule: its vault key rewrapped under the weak passphrase with the vault's own KDF and label.
  const db = new Database(path);
  const stored = JSON.parse((db.prepare(`SELECT value FROM meta WHERE key = 'vault_key'`).get() as { value: string }).value) as { kdf: KdfParams; nonce: string; ciphertext: string };
  const label = 'certdesk vault key v2; records authenticated';
  const vaultKey = open(await deriveKek(PASSPHRASE, stored.kdf), { nonce: Buffer.from(stored.nonce, 'hex'), ciphertext: Buffer.from(stored.ciphertext, 'hex') }, label);
  assert.ok(vaultKey, 'the test reads the vault key with the wrap label vault.ts uses');
  const sealed = seal(await deriveKek(WEAK, stored.kdf), vaultKey, label);
  db.prepare(`UPDATE meta SET value = ? WHERE key = 'vault_key'`).run(JSON.stringify({ kdf: stored.kdf, nonce: sealed.nonce.toString('hex'), ciphertext: sealed.ciphertext.toString('hex') }));
  db.close();
  const old = Vault.open(path, { kdf: { ...TEST_KDF } });
  t.after(() => old.close());
  await old.unlock(WEAK);
  assert.equal(old.unlocked, true);
});
