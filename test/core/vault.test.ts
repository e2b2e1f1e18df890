import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Vault } from '../../electron/core/vault/vault.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { SCHEMA_VERSION } from '../../electron/core/vault/schema.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate, type IssueResult } from '../../electron/core/issuance/issue.js';
import { getCertRow } from '../../electron/core/issuance/records.js';
import { tempDir } from '../helpers/tmp.js';
import { certErr, count, dumpTables, meta, newVault, PASSPHRASE, TEST_KDF, TestClock, vaultOptions } from '../helpers/engine-vault.js';

const sha256File = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function storeRandomKey(vault: Vault, size = 121): { id: string; pkcs8: Buffer } {
  const pkcs8 = randomBytes(size);
  const id = vault.transaction(() => {
    const keyId = vault.storeKey('ec-p256', pkcs8, randomBytes(91));
    vault.audit('test.store-key', `key:${keyId}`, {});
    return keyId;
  });
  return { id, pkcs8 };
}

test('create, close, open locked, unlock, lock', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'lifecycle.certdesk');
  const created = await Vault.create(path, PASSPHRASE, { kdf: { ...TEST_KDF } });
  assert.equal(created.unlocked, true);
  assert.equal(created.schemaVersion(), SCHEMA_VERSION);
  const { id, pkcs8 } = storeRandomKey(created);
  created.close();
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp file is left after create');

  const vault = Vault.open(path, { kdf: { ...TEST_KDF } });
  t.after(() => vault.close());
  assert.equal(vault.unlocked, false);
  assert.throws(() => vault.loadKey(id), certErr('VAULT_LOCKED', /locked/));
  assert.throws(() => vault.audit('test.locked', null), certErr('VAULT_LOCKED', /locked/));
  assert.throws(() => vault.verifyAudit(), certErr('VAULT_LOCKED', /locked/));
  assert.throws(() => vault.storeKey('ec-p256', pkcs8, pkcs8), certErr('VAULT_LOCKED', /locked/));
  assert.equal(count(vault.db, 'keys'), 1, 'a refused storeKey writes nothing');

  await vault.unlock(PASSPHRASE);
  assert.equal(vault.unlocked, true);
  assert.deepEqual(Buffer.from(vault.loadKey(id)), pkcs8);
  assert.equal(vault.verifyAudit().ok, true);

  vault.lock();
  assert.equal(vault.unlocked, false);
  assert.throws(() => vault.loadKey(id), certErr('VAULT_LOCKED', /locked/));
  assert.throws(() => vault.audit('test.locked', null), certErr('VAULT_LOCKED', /locked/));
  await vault.unlock(PASSPHRASE);
  assert.deepEqual(Buffer.from(vault.loadKey(id)), pkcs8);
});

test('create refuses an existing path and leaves no temp files', async (t) => {
  const { vault, path, dir } = await newVault(t);
  const before = readdirSync(dir).sort();
  const hash = sha256File(path);
  await assert.rejects(Vault.create(path, PASSPHRASE, { kdf: { ...TEST_KDF } }), certErr('VAULT_EXISTS', path));
  assert.deepEqual(readdirSync(dir).sort(), before);
  assert.equal(sha256File(path), hash);
  assert.equal(vault.verifyAudit().ok, true);

  // Any existing file counts, not only a vault.
  const other = join(dir, 'notes.txt');
  writeFileSync(other, 'hello');
  await assert.rejects(Vault.create(other, PASSPHRASE, { kdf: { ...TEST_KDF } }), certErr('VAULT_EXISTS', other));
  assert.equal(readFileSync(other, 'utf8'), 'hello');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('create refuses a passphrase shorter than 10 characters', async (t) => {
  const dir = tempDir(t);
  for (const short of ['', 'short', '123456789', 'ñññññññññ']) {
    const path = join(dir, 'short.certdesk');
    await assert.rejects(Vault.create(path, short, { kdf: { ...TEST_KDF } }), certErr('INVALID_INPUT', /passphrase/, /10/));
    assert.equal(existsSync(path), false, `no vault for passphrase ${JSON.stringify(short)}`);
  }
  assert.deepEqual(readdirSync(dir), []);
  // Exactly 10 characters (code points, not UTF-16 units) is enough for the length; ten different ones also pass
  // the strength rule (ten of the same were refused as a repeat: test/core/passphrase-rule.test.ts).
  const ok = await Vault.create(join(dir, 'ok.certdesk'), '😀🔑🌲🚲🍋🎻🦉🧭🪁🌋', { kdf: { ...TEST_KDF } });
  ok.close();
  assert.deepEqual(readdirSync(dir), ['ok.certdesk']);
});

test('wrong passphrase: refused, only an unlock_failures row is added, audited at the next unlock', async (t) => {
  const { vault: first, path } = await newVault(t);
  await createCa(first, { name: 'Root', subject: 'CN=Test Root,O=Example,C=DE', keyType: 'ec-p256', days: 3650 });
  storeRandomKey(first);
  first.close();

  const clock = new TestClock('2026-04-01T08:00:00.000Z');
  const vault = Vault.open(path, vaultOptions(clock));
  t.after(() => vault.close());
  const before = dumpTables(vault.db);
  const vaultKeyBefore = meta(vault.db, 'vault_key');
  assert.equal(before.unlock_failures!.length, 0);

  await assert.rejects(vault.unlock('not the passphrase'), certErr('VAULT_WRONG_PASSPHRASE', /wrong passphrase/));
  assert.equal(vault.unlocked, false);
  assert.throws(() => vault.verifyAudit(), certErr('VAULT_LOCKED'));
  const after = dumpTables(vault.db);
  for (const table of ['certificates', 'keys', 'audit', 'cas']) {
    assert.equal(after[table]!.length, before[table]!.length, `${table} row count`);
  }
  assert.equal(meta(vault.db, 'vault_key'), vaultKeyBefore);
  assert.deepEqual(after.unlock_failures, [{ id: 1, at: clock.iso() }]);
  const { unlock_failures: _a, ...restAfter } = after;
  const { unlock_failures: _b, ...restBefore } = before;
  assert.deepEqual(restAfter, restBefore, 'every other table is unchanged');

  clock.advance(60_000);
  const auditBefore = before.audit!.length;
  await vault.unlock(PASSPHRASE);
  assert.equal(count(vault.db, 'unlock_failures'), 0);
  const entries = listAudit(vault.db, { action: 'vault.unlock-failed' });
  assert.equal(entries.length, 1);
  assert.equal(entries[0]!.details.count, 1);
  assert.equal(entries[0]!.details.first, '2026-04-01T08:00:00.000Z');
  assert.equal(entries[0]!.seq, auditBefore + 1);
  assert.equal(count(vault.db, 'audit'), auditBefore + 1);
  assert.deepEqual(vault.verifyAudit(), { ok: true, entries: auditBefore + 1 });

  // A second correct unlock adds nothing more.
  vault.lock();
  await vault.unlock(PASSPHRASE);
  assert.equal(count(vault.db, 'audit'), auditBefore + 1);
});

test('change passphrase: old stops working, new works, keys still decrypt, a wrong current changes nothing', async (t) => {
  const { vault, path } = await newVault(t);
  const { id, pkcs8 } = storeRandomKey(vault);
  const NEXT = 'another long passphrase';

  const before = dumpTables(vault.db);
  await assert.rejects(vault.changePassphrase('wrong current one', NEXT), certErr('VAULT_WRONG_PASSPHRASE', /current passphrase/));
  assert.deepEqual(dumpTables(vault.db), before, 'a wrong current passphrase changes nothing');
  await assert.rejects(vault.changePassphrase(PASSPHRASE, 'tiny'), certErr('INVALID_INPUT', /passphrase/));
  assert.deepEqual(dumpTables(vault.db), before, 'a too short new passphrase changes nothing');

  await vault.changePassphrase(PASSPHRASE, NEXT);
  const oldWrapped = (before.meta as { key: string; value: string }[]).find((r) => r.key === 'vault_key')!.value;
  assert.notEqual(meta(vault.db, 'vault_key'), oldWrapped, 'the vault key was rewrapped');
  assert.deepEqual(Buffer.from(vault.loadKey(id)), pkcs8, 'keys decrypt right after the change');
  assert.equal(listAudit(vault.db, { action: 'vault.passphrase-change' }).length, 1);
  vault.close();

  const reopened = Vault.open(path, vaultOptions());
  t.after(() => reopened.close());
  await assert.rejects(reopened.unlock(PASSPHRASE), certErr('VAULT_WRONG_PASSPHRASE'));
  await reopened.unlock(NEXT);
  assert.deepEqual(Buffer.from(reopened.loadKey(id)), pkcs8);
  const v = reopened.verifyAudit();
  assert.equal(v.ok, true, JSON.stringify(v));
  assert.equal(listAudit(reopened.db, { action: 'vault.unlock-failed' })[0]?.details.count, 1);
});

test('a vault from a newer CertDesk is refused and not modified', async (t) => {
  const { vault, path } = await newVault(t);
  vault.close();
  const raw = new Database(path);
  raw.pragma('user_version = 99');
  raw.close();

  const files = (p: string) => ({ wal: existsSync(`${p}-wal`), shm: existsSync(`${p}-shm`) });
  const hash = sha256File(path);
  const present = files(path);
  assert.throws(
    () => Vault.open(path, vaultOptions()),
    certErr('VAULT_TOO_NEW', /\b99\b/, new RegExp(`up to ${SCHEMA_VERSION}\\b`), path),
  );
  assert.equal(sha256File(path), hash, 'the vault file is byte-for-byte unchanged');
  // Still refused the second time (nothing was migrated down or up).
  assert.throws(() => Vault.open(path, vaultOptions()), certErr('VAULT_TOO_NEW'));
  assert.equal(sha256File(path), hash);
  assert.deepEqual(present, { wal: false, shm: false }, 'precondition: a cleanly closed vault has no -wal/-shm');
  assert.deepEqual(files(path), present, 'no -wal/-shm file appeared or disappeared');
});

test('a non-SQLite file is VAULT_CORRUPT, a missing one VAULT_NOT_FOUND, a foreign SQLite file VAULT_CORRUPT', (t) => {
  const dir = tempDir(t);
  const junk = join(dir, 'junk.certdesk');
  writeFileSync(junk, 'this is not a database at all, just some text that is long enough');
  assert.throws(() => Vault.open(junk), certErr('VAULT_CORRUPT', junk));
  const empty = join(dir, 'empty.certdesk');
  writeFileSync(empty, '');
  assert.throws(() => Vault.open(empty), certErr('VAULT_CORRUPT', empty));
  const missing = join(dir, 'missing.certdesk');
  assert.throws(() => Vault.open(missing), certErr('VAULT_NOT_FOUND', missing));
  assert.equal(existsSync(missing), false);

  const foreign = join(dir, 'foreign.db');
  const db = new Database(foreign);
  db.exec('CREATE TABLE t (x)');
  db.close();
  const hash = sha256File(foreign);
  assert.throws(() => Vault.open(foreign), certErr('VAULT_CORRUPT', foreign));
  assert.equal(sha256File(foreign), hash);
});

test('keys: round trip; a moved or altered ciphertext is refused by its MAC, and by the AAD under it', async (t) => {
  const { vault } = await newVault(t);
  const a = storeRandomKey(vault, 138);
  const b = storeRandomKey(vault, 138);
  assert.notEqual(a.id, b.id);
  assert.deepEqual(Buffer.from(vault.loadKey(a.id)), a.pkcs8);
  assert.deepEqual(Buffer.from(vault.loadKey(b.id)), b.pkcs8);
  const stored = vault.db.prepare('SELECT ciphertext FROM keys WHERE id = ?').get(a.id) as { ciphertext: Buffer };
  assert.equal(stored.ciphertext.includes(a.pkcs8.subarray(0, 32)), false, 'the key is not stored in the clear');

  // Move a's sealed key onto b's row: the row's MAC (its binding) no longer holds.
  vault.db.prepare('UPDATE keys SET nonce = (SELECT nonce FROM keys WHERE id = ?), ciphertext = (SELECT ciphertext FROM keys WHERE id = ?) WHERE id = ?').run(a.id, a.id, b.id);
  assert.throws(() => vault.loadKey(b.id), certErr('VAULT_TAMPERED', b.id, 'keys', 'changed outside CertDesk'));
  assert.deepEqual(Buffer.from(vault.loadKey(a.id)), a.pkcs8, 'the original row still opens');
  // Even with the binding's MAC made to match (someone holding the MAC key), the AAD binds the row id: it does not open.
  const moved = vault.records.read('keys', { id: b.id })!;
  vault.db.prepare('UPDATE keys SET mac = ? WHERE id = ?').run(vault.records.macOf('keys', moved), b.id);
  assert.throws(() => vault.loadKey(b.id), certErr('VAULT_CORRUPT', b.id));

  // Flip one ciphertext byte of a.
  const row = vault.db.prepare('SELECT ciphertext FROM keys WHERE id = ?').get(a.id) as { ciphertext: Buffer };
  const flipped = Buffer.from(row.ciphertext);
  flipped[5] = flipped[5]! ^ 0x01;
  vault.db.prepare('UPDATE keys SET ciphertext = ? WHERE id = ?').run(flipped, a.id);
  assert.throws(() => vault.loadKey(a.id), certErr('VAULT_TAMPERED', a.id));

  // A flipped tag byte and a truncated ciphertext are refused too, and so is a missing row.
  const c = storeRandomKey(vault);
  const cRow = vault.db.prepare('SELECT ciphertext FROM keys WHERE id = ?').get(c.id) as { ciphertext: Buffer };
  const tag = Buffer.from(cRow.ciphertext);
  tag[tag.length - 1] = tag[tag.length - 1]! ^ 0x80;
  vault.db.prepare('UPDATE keys SET ciphertext = ? WHERE id = ?').run(tag, c.id);
  assert.throws(() => vault.loadKey(c.id), certErr('VAULT_TAMPERED', c.id));
  vault.db.prepare('UPDATE keys SET ciphertext = ? WHERE id = ?').run(cRow.ciphertext.subarray(0, 10), c.id);
  assert.throws(() => vault.loadKey(c.id), certErr('VAULT_TAMPERED', c.id));
  assert.throws(() => vault.loadKey('no-such-key'), certErr('VAULT_TAMPERED', 'no-such-key', 'missing'));
});

test('audit chain: verifies, and every kind of tampering is detected', async (t) => {
  const { vault, path, dir } = await newVault(t);
  for (let i = 1; i <= 5; i++) vault.transaction(() => vault.audit('test.entry', `thing:${i}`, { n: i, note: `entry ${i}` }));
  assert.deepEqual(vault.verifyAudit(), { ok: true, entries: 6 });
  vault.close();

  let copies = 0;
  async function tampered(sql: (db: Database.Database) => void) {
    const copy = join(dir, `copy-${++copies}.certdesk`);
    copyFileSync(path, copy);
    const raw = new Database(copy);
    sql(raw);
    raw.close();
    const v = Vault.open(copy, vaultOptions());
    t.after(() => v.close());
    await v.unlock(PASSPHRASE);
    return v.verifyAudit();
  }

  // Untouched copy: still fine (the copy procedure itself does not break anything).
  assert.deepEqual(await tampered(() => {}), { ok: true, entries: 6 });

  const edited = await tampered((db) => db.prepare('UPDATE audit SET details = ? WHERE seq = 3').run(JSON.stringify({ n: 99, note: 'entry 2' })));
  assert.equal(edited.ok, false);
  assert.equal(edited.firstBad?.seq, 3);
  assert.match(edited.firstBad!.problem, /changed/);

  const editedTarget = await tampered((db) => db.prepare("UPDATE audit SET target = 'thing:x' WHERE seq = 4").run());
  assert.equal(editedTarget.ok, false);
  assert.equal(editedTarget.firstBad?.seq, 4);

  const deleted = await tampered((db) => db.prepare('DELETE FROM audit WHERE seq = 3').run());
  assert.equal(deleted.ok, false);
  assert.equal(deleted.firstBad?.seq, 3);
  assert.match(deleted.firstBad!.problem, /missing/);

  // Delete a middle entry and renumber the rest so that the sequence has no gap.
  const renumbered = await tampered((db) => {
    db.prepare('DELETE FROM audit WHERE seq = 3').run();
    db.prepare('UPDATE audit SET seq = seq - 1 WHERE seq > 3').run();
  });
  assert.equal(renumbered.ok, false);
  assert.equal(renumbered.firstBad?.seq, 3);

  const swapped = await tampered((db) => {
    const r3 = db.prepare('SELECT at, action, target, details, prev_mac, mac FROM audit WHERE seq = 3').get() as Record<string, string>;
    const r4 = db.prepare('SELECT at, action, target, details, prev_mac, mac FROM audit WHERE seq = 4').get() as Record<string, string>;
    const upd = db.prepare('UPDATE audit SET at = @at, action = @action, target = @target, details = @details, prev_mac = @prev_mac, mac = @mac WHERE seq = @seq');
    upd.run({ ...r4, seq: 3 });
    upd.run({ ...r3, seq: 4 });
  });
  assert.equal(swapped.ok, false);
  assert.equal(swapped.firstBad?.seq, 3);

  // Swap only the content, keeping each row's chain fields: the MACs then no longer match.
  const swappedContent = await tampered((db) => {
    const r3 = db.prepare('SELECT target, details FROM audit WHERE seq = 3').get() as Record<string, string>;
    const r4 = db.prepare('SELECT target, details FROM audit WHERE seq = 4').get() as Record<string, string>;
    const upd = db.prepare('UPDATE audit SET target = @target, details = @details WHERE seq = @seq');
    upd.run({ ...r4, seq: 3 });
    upd.run({ ...r3, seq: 4 });
  });
  assert.equal(swappedContent.ok, false);
  assert.equal(swappedContent.firstBad?.seq, 3);

  const truncated = await tampered((db) => db.prepare('DELETE FROM audit WHERE seq = 6').run());
  assert.equal(truncated.ok, false);
  assert.equal(truncated.firstBad?.seq, 6);
  assert.match(truncated.firstBad!.problem, /removed/);

  const truncatedTwo = await tampered((db) => db.prepare('DELETE FROM audit WHERE seq >= 5').run());
  assert.equal(truncatedTwo.ok, false);
  assert.equal(truncatedTwo.firstBad?.seq, 5);

  const headGone = await tampered((db) => db.prepare("DELETE FROM meta WHERE key = 'audit_head'").run());
  assert.equal(headGone.ok, false);
  assert.match(headGone.firstBad!.problem, /head/);

  const macChanged = await tampered((db) => {
    const { mac } = db.prepare('SELECT mac FROM audit WHERE seq = 2').get() as { mac: string };
    const bad = (mac[0] === '0' ? '1' : '0') + mac.slice(1);
    db.prepare('UPDATE audit SET mac = ? WHERE seq = 2').run(bad);
  });
  assert.equal(macChanged.ok, false);
  assert.equal(macChanged.firstBad?.seq, 2);

  const lastMacChanged = await tampered((db) => {
    const { mac } = db.prepare('SELECT mac FROM audit WHERE seq = 6').get() as { mac: string };
    db.prepare('UPDATE audit SET mac = ? WHERE seq = 6').run((mac[0] === 'f' ? 'e' : 'f') + mac.slice(1));
  });
  assert.equal(lastMacChanged.ok, false);
  assert.equal(lastMacChanged.firstBad?.seq, 6);
});

interface Secret {
  label: string;
  der: Buffer;
  /** Public bytes (the SPKI): a window of the DER that also occurs here is not secret (the modulus, the EC point). */
  pub?: Buffer;
}

/** The 32-byte windows of a PKCS#8 DER that are not part of the public key. */
function secretWindows(s: Secret): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i + 32 <= s.der.length; i++) {
    const w = s.der.subarray(i, i + 32);
    if (!s.pub?.includes(w)) out.push(w);
  }
  return out;
}

/** Where in the haystack any of the secrets' forms occur (empty when none). */
function findSecrets(haystack: Buffer, secrets: Secret[], passphrase: string): string[] {
  const found: string[] = [];
  const text = haystack.toString('latin1');
  for (const s of secrets) {
    const { label, der } = s;
    if (haystack.includes(der)) found.push(`${label}: DER`);
    if (text.includes(der.toString('base64'))) found.push(`${label}: base64`);
    if (text.includes(der.toString('hex'))) found.push(`${label}: hex`);
    for (const w of secretWindows(s)) {
      if (haystack.includes(w)) {
        found.push(`${label}: 32 secret bytes at DER offset ${der.indexOf(w)}`);
        break;
      }
    }
  }
  if (haystack.includes(Buffer.from(passphrase, 'utf8'))) found.push('passphrase (utf8)');
  if (haystack.includes(Buffer.from(passphrase, 'utf16le'))) found.push('passphrase (utf16le)');
  return found;
}

test('no private key or passphrase appears in the clear in the vault or its WAL', async (t) => {
  const { vault, path } = await newVault(t);
  const ca = await createCa(vault, { name: 'Root', subject: 'CN=Test Root,O=Example,C=DE', keyType: 'ec-p256', days: 3650 });
  const issued: IssueResult[] = [];
  for (const [i, keyType] of (['rsa-2048', 'ec-p256', 'rsa-2048', 'ec-p256'] as const).entries()) {
    issued.push(await issueCertificate(vault, { ca: 'Root', profile: 'user', name: `Holder ${i}`, sans: [{ type: 'email', value: `holder${i}@example.com` }], keyType }));
  }
  assert.ok(issued.every((r) => r.record.hasKey), 'the user profile keeps keys');
  const caKeyId = getCertRow(vault, ca.certificateId)!.key_id!;
  const withPub = (label: string, der: Buffer): Secret => ({
    label,
    der,
    pub: createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' }),
  });
  const secrets = [
    withPub('CA key', Buffer.from(vault.loadKey(caKeyId))),
    ...issued.map((r, i) => withPub(`key ${i} (${r.record.keyType})`, Buffer.from(r.privateKeyPkcs8))),
  ];
  for (const s of secrets) {
    assert.ok(s.der.length > 100, `${s.label} is a real PKCS#8 key`);
    // EC: the 32-byte scalar; RSA: d, p, q, dp, dq, qinv (over 600 bytes).
    assert.ok(secretWindows(s).length >= (s.label.includes('rsa') ? 600 : 1), `${s.label} has secret windows to look for`);
  }

  // The search itself works: public certificates are stored as DER, and it finds them.
  const certDer = Buffer.from(getCertRow(vault, issued[0]!.record.id)!.der);

  const files = () => [path, `${path}-wal`].filter((p) => existsSync(p));
  const openFiles = files();
  assert.ok(openFiles.includes(`${path}-wal`), 'the WAL exists while the vault is open');
  const openBytes = Buffer.concat(openFiles.map((p) => readFileSync(p)));
  assert.ok(openBytes.includes(certDer), 'positive control: the stored certificate DER is found');
  assert.ok(findSecrets(openBytes, [{ label: 'cert', der: certDer }], 'x'.repeat(64)).length > 0, 'positive control for findSecrets');
  const tail = { label: 'cert tail', der: certDer.subarray(certDer.length - 40) };
  assert.deepEqual(findSecrets(openBytes, [tail], 'x'.repeat(64)), ['cert tail: DER', 'cert tail: 32 secret bytes at DER offset 0'], 'positive control for windows');
  assert.deepEqual(findSecrets(openBytes, secrets, PASSPHRASE), [], 'open vault + WAL');

  vault.close();
  const closedBytes = Buffer.concat(files().map((p) => readFileSync(p)));
  assert.ok(closedBytes.includes(certDer));
  assert.deepEqual(findSecrets(closedBytes, secrets, PASSPHRASE), [], 'closed vault');
});
