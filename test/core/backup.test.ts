// Issue 15, backups that restore: createBackup writes one encrypted file (no plaintext SQLite anywhere on the
// way), verifyBackupFile/openBackup tell a damaged or altered file, a wrong passphrase, a foreign file and a newer
// format apart, and restoreBackup gives a new vault that verifies and signs exactly as the original, never over
// an existing file. A backup taken between the steps of a running batch restores to a vault that finishes it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createBackup } from '../../electron/core/backup/create-backup.js';
import { BACKUP_MAGIC } from '../../electron/core/backup/format.js';
import { restoreBackup } from '../../electron/core/backup/restore-backup.js';
import { backupStatus, setBackupReminderDays } from '../../electron/core/backup/status.js';
import { openBackup, verifyBackupFile } from '../../electron/core/backup/verify-backup.js';
import { runBatch } from '../../electron/core/batch/run-batch.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { getCertRow, toCertificateRecord } from '../../electron/core/issuance/records.js';
import { generateCrl, revokeCertificate } from '../../electron/core/issuance/revocation.js';
import { nodeFileSink, type FileSink } from '../../electron/core/files.js';
import { SCHEMA_VERSION } from '../../electron/core/vault/schema.js';
import { verifyVault } from '../../electron/core/vault/vault-verify.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { certErr, count, DAY, dumpTables, meta, newVault, PASSPHRASE, TestClock, vaultOptions } from '../helpers/engine-vault.js';
import { needTools, run } from '../helpers/tools.js';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** A vault with an RSA root (deterministic signatures: equal CRLs are equal bytes), two certificates, one revoked. */
async function pkiVault(t: TestContext) {
  const tv = await newVault(t, { file: 'vault.certdesk' });
  const root = await createCa(tv.vault, { name: 'Root', subject: 'CN=Backup Root,O=Example,C=DE', keyType: 'rsa-2048', days: 3650, crlUrl: null });
  const alice = await issueCertificate(tv.vault, { ca: 'Root', profile: 'user', name: 'Alice Example', sans: [{ type: 'email', value: 'alice@example.com' }], keyType: 'ec-p256' });
  const bob = await issueCertificate(tv.vault, { ca: 'Root', profile: 'user', name: 'Bob Example', sans: [{ type: 'email', value: 'bob@example.com' }], keyType: 'ec-p256' });
  revokeCertificate(tv.vault, String(bob.record.id), 'keyCompromise');
  return { ...tv, root, alice: alice.record, bob: bob.record };
}

/** A FileSink that records every file written (its path, mode and bytes) and passes everything on to the disk. */
function recordingSink(writes: { path: string; mode: number | undefined; data: Buffer }[]): FileSink {
  return {
    ...nodeFileSink,
    writeNew(path, data, mode, flush) {
      writes.push({ path, mode, data: Buffer.from(typeof data === 'string' ? Buffer.from(data) : data) });
      nodeFileSink.writeNew(path, data, mode, flush);
    },
  };
}

/** The regions of a backup file: header [20, headerEnd), payload [headerEnd, macAt), MAC [macAt, sumAt), checksum [sumAt, end). */
function regions(bytes: Buffer) {
  const headerEnd = 20 + bytes.readUInt32BE(16);
  return { headerEnd, macAt: bytes.length - 64, sumAt: bytes.length - 32 };
}

/** The file with its trailing SHA-256 recomputed: what someone who edits it on purpose does. */
function resum(bytes: Buffer): Buffer {
  const body = bytes.subarray(0, bytes.length - 32);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

function flipped(bytes: Buffer, offset: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[offset]! ^= 0x01;
  return copy;
}

test('backup: one new owner-only file, encrypted in memory (no SQLite header in it or in any file written), verified, audited and recorded', async (t) => {
  const { vault, dir, clock } = await pkiVault(t);
  const out = join(dir, 'vault.certdesk-backup');
  const before = readdirSync(dir).sort();
  const writes: { path: string; mode: number | undefined; data: Buffer }[] = [];
  const result = await createBackup(vault, PASSPHRASE, out, recordingSink(writes));

  const bytes = readFileSync(out);
  assert.equal(writes.length, 1, 'one file written: the encrypted backup, under a temporary name');
  assert.match(basename(writes[0]!.path), /^\.vault\.certdesk-backup\.[0-9a-f-]{36}\.tmp$/);
  assert.equal(writes[0]!.mode, 0o600);
  assert.deepEqual(writes[0]!.data, bytes, 'the temporary file held exactly the final, encrypted bytes');
  assert.equal(bytes.indexOf(SQLITE_HEADER), -1, 'no plaintext SQLite header in the backup');
  assert.deepEqual(bytes.subarray(0, 16), BACKUP_MAGIC);
  assert.deepEqual(readdirSync(dir).sort(), [...before, 'vault.certdesk-backup'].sort(), 'nothing else left in the folder');
  assert.equal(statSync(out).mode & 0o777, 0o600);

  assert.equal(result.file, out);
  assert.equal(result.bytes, bytes.length);
  assert.equal(result.verifiedAt, clock.iso());
  assert.deepEqual(result.manifest.counts, { cas: 1, certificates: 2 });
  assert.equal(result.manifest.certdeskSchema, SCHEMA_VERSION);
  assert.equal(result.manifest.vaultCreatedAt, meta(vault.db, 'created_at'));
  assert.equal(result.manifest.createdAt, clock.iso());

  const last = vault.db.prepare('SELECT seq, action, target, details FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; action: string; target: string; details: string };
  assert.equal(last.action, 'vault.backup');
  assert.equal(last.target, out);
  assert.equal(last.seq, result.auditSeq);
  assert.deepEqual(JSON.parse(last.details).counts, { cas: 1, certificates: 2 });
  assert.equal(JSON.parse(last.details).payloadSha256, result.manifest.payloadSha256);
  assert.equal(verifyVault(vault).ok, true, 'the source vault still verifies after its backup entry');

  const verified = await verifyBackupFile(out, PASSPHRASE);
  assert.deepEqual(verified.manifest, result.manifest);
  assert.deepEqual(verified.keyWraps, ['passphrase']);
  assert.equal(verified.format, 1);
  assert.equal(verified.verification.ok, true);
  assert.equal(verified.verification.audit.entries, result.auditSeq - 1, 'the backup holds the audit chain up to the entry before its own');

  // A backup never replaces a file, and a wrong passphrase writes nothing.
  await assert.rejects(createBackup(vault, PASSPHRASE, out), certErr('IO_ERROR', `cannot write the backup ${out}: a file of that name already exists`));
  assert.deepEqual(readFileSync(out), bytes);
  const writes2: typeof writes = [];
  const other = join(dir, 'other.certdesk-backup');
  await assert.rejects(createBackup(vault, 'not the passphrase', other, recordingSink(writes2)), certErr('VAULT_WRONG_PASSPHRASE', 'wrong passphrase: it does not open the vault'));
  assert.equal(writes2.length, 0);
  assert.deepEqual(readdirSync(dir).sort(), [...before, 'vault.certdesk-backup'].sort());
});

test('backup status: due without a backup, not due after one, due after N days or after a newer certificate', async (t) => {
  const { vault, dir, clock } = await pkiVault(t);
  assert.deepEqual(backupStatus(vault), { lastVerifiedBackup: null, lastIssuedAt: clock.iso(), reminderDays: 7, reminderDue: true, reason: 'no verified backup of this vault yet' });
  clock.advance(60_000);
  const result = await createBackup(vault, PASSPHRASE, join(dir, 'b1.certdesk-backup'));
  const st = backupStatus(vault);
  assert.deepEqual(st.lastVerifiedBackup, { at: clock.iso(), file: join(dir, 'b1.certdesk-backup'), payloadSha256: result.manifest.payloadSha256 });
  assert.equal(st.reminderDue, false);
  assert.equal(st.reason, null);
  clock.advance(7 * DAY);
  assert.equal(backupStatus(vault).reminderDue, false, 'exactly 7 days is not more than 7');
  clock.advance(1000);
  assert.equal(backupStatus(vault).reason, 'the last verified backup is more than 7 days old');
  setBackupReminderDays(vault, 30);
  assert.deepEqual([backupStatus(vault).reminderDays, backupStatus(vault).reminderDue], [30, false]);
  clock.advance(1000);
  await issueCertificate(vault, { ca: 'Root', profile: 'user', name: 'Carol Example', sans: [{ type: 'email', value: 'carol@example.com' }], keyType: 'ec-p256' });
  assert.equal(backupStatus(vault).reason, 'a certificate was issued after the last verified backup');
  assert.throws(() => setBackupReminderDays(vault, 0), certErr('INVALID_INPUT', 'backup reminder: days must be a whole number from 1 to 3650, got 0'));
});

test('backup verify: one byte changed in the header, the ciphertext, the MAC or the checksum fails with the reason', async (t) => {
  const { vault, dir } = await pkiVault(t);
  const out = join(dir, 'b.certdesk-backup');
  await createBackup(vault, PASSPHRASE, out);
  const bytes = readFileSync(out);
  const { headerEnd, macAt, sumAt } = regions(bytes);
  const header = bytes.toString('utf8', 20, headerEnd);
  const countAt = 20 + Buffer.byteLength(header.slice(0, header.indexOf('"cas":1') + 6));
  assert.equal(String.fromCharCode(bytes[countAt]!), '1');
  const places: [string, number][] = [
    ['header (the manifest\'s CA count)', countAt],
    ['ciphertext', headerEnd + Math.floor((macAt - headerEnd) / 2)],
    ['ciphertext (its GCM tag)', macAt - 1],
    ['MAC', macAt + 5],
  ];
  const damaged = 'is damaged or was altered: its SHA-256 checksum does not match its content; it cannot be verified or restored';
  for (const [where, offset] of places) {
    // Changed by accident or by someone who did not recompute the checksum.
    await assert.rejects(openBackup(flipped(bytes, offset), out, PASSPHRASE), certErr('VAULT_TAMPERED', `${out} ${damaged}`), where);
    // Changed on purpose, the checksum recomputed: the MAC (keyed by the passphrase's content key) catches it.
    await assert.rejects(
      openBackup(resum(flipped(bytes, offset)), out, PASSPHRASE),
      certErr('VAULT_TAMPERED', `${out} was altered: its MAC does not match (the header, the encrypted vault or the MAC itself was changed); it cannot be trusted or restored`),
      where,
    );
  }
  await assert.rejects(openBackup(flipped(bytes, sumAt + 3), out, PASSPHRASE), certErr('VAULT_TAMPERED', `${out} ${damaged}`), 'checksum');
  // The key wrap's salt changed and the checksum recomputed: indistinguishable from a wrong passphrase, and said so.
  const saltAt = 20 + Buffer.byteLength(header.slice(0, header.indexOf('"salt":"') + 8));
  const salt = Buffer.from(bytes);
  salt[saltAt] = salt[saltAt] === 0x30 ? 0x31 : 0x30;
  await assert.rejects(openBackup(resum(salt), out, PASSPHRASE), certErr('VAULT_WRONG_PASSPHRASE', `wrong passphrase for ${out}: its key does not open with it (if the passphrase is right, the backup's key section was altered)`));
  // A header that no longer parses.
  await assert.rejects(openBackup(resum(flipped(bytes, 20)), out, PASSPHRASE), certErr('VAULT_TAMPERED', `${out} is damaged or was altered: its header is not readable JSON`));
  // Cut short.
  await assert.rejects(openBackup(bytes.subarray(0, 40), out, PASSPHRASE), certErr('VAULT_TAMPERED', `${out} is damaged or was altered: it is cut short (40 bytes)`));
  // The untouched file still verifies.
  assert.equal((await openBackup(bytes, out, PASSPHRASE)).verification.ok, true);
});

test('backup verify: a wrong passphrase, a file that is no backup and a backup from a newer CertDesk each say so', async (t) => {
  const { vault, dir, path } = await pkiVault(t);
  const out = join(dir, 'b.certdesk-backup');
  await createBackup(vault, PASSPHRASE, out);
  await assert.rejects(verifyBackupFile(out, 'a wrong passphrase'), certErr('VAULT_WRONG_PASSPHRASE', `wrong passphrase for ${out}: its key does not open with it`));
  await assert.rejects(verifyBackupFile(path, PASSPHRASE), certErr('INVALID_INPUT', `${path} is not a CertDesk backup (it does not start with the CertDesk backup marker)`));
  const empty = join(dir, 'empty');
  writeFileSync(empty, '');
  await assert.rejects(verifyBackupFile(empty, PASSPHRASE), certErr('INVALID_INPUT', `${empty} is not a CertDesk backup`));
  await assert.rejects(verifyBackupFile(join(dir, 'missing'), PASSPHRASE), certErr('IO_ERROR', `cannot read the backup ${join(dir, 'missing')}: no such file`));
  // Format 2: the marker, length, header and checksum where format 1 has them.
  const header = Buffer.from(JSON.stringify({ format: 'certdesk-backup', version: 2, keyWraps: [{ method: 'shares' }] }));
  const len = Buffer.alloc(4);
  len.writeUInt32BE(header.length);
  const newer = resum(Buffer.concat([BACKUP_MAGIC, len, header, Buffer.alloc(100), Buffer.alloc(64)]));
  await assert.rejects(openBackup(newer, 'new.certdesk-backup', PASSPHRASE), certErr('VAULT_TOO_NEW', 'new.certdesk-backup was written by a newer CertDesk (backup format 2; this version reads up to 1). Update CertDesk to verify or restore it.'));
});

test('restore: a new vault that vault verify accepts, holds the same records, and signs the same CRL bytes as the original; openssl accepts its CRL and certificates with the original CA certificate', async (t) => {
  const { vault, dir, clock, root, alice } = await pkiVault(t);
  const out = join(dir, 'b.certdesk-backup');
  await createBackup(vault, PASSPHRASE, out);
  const target = join(dir, 'elsewhere', 'restored.certdesk');
  const restored = await restoreBackup(out, PASSPHRASE, target, vaultOptions(clock));
  assert.equal(restored.vault, target);
  assert.deepEqual(restored.manifest.counts, { cas: 1, certificates: 2 });
  assert.deepEqual(readdirSync(join(dir, 'elsewhere')), ['restored.certdesk'], 'no temporary file or SQLite companion left');
  assert.equal(statSync(target).mode & 0o777, 0o600);

  const copy = Vault.open(target, vaultOptions(clock));
  t.after(() => copy.close());
  await copy.unlock(PASSPHRASE);
  assert.equal(verifyVault(copy).ok, true);
  const original = dumpTables(vault.db);
  const again = dumpTables(copy.db);
  for (const table of ['cas', 'certificates', 'keys', 'profiles', 'recipients']) assert.deepEqual(again[table], original[table], table);
  // The snapshot was taken before the backup was recorded: the copy's settings are the original's without that record.
  assert.deepEqual(again.settings, original.settings!.filter((r) => (r as { key: string }).key !== 'backup_last_verified'));
  const actions = (copy.db.prepare('SELECT action FROM audit ORDER BY seq').all() as { action: string }[]).map((r) => r.action);
  assert.deepEqual(actions.slice(-1), ['vault.restore']);
  assert.equal(count(copy.db, 'audit'), count(vault.db, 'audit'), 'the original has its vault.backup entry, the copy its vault.restore entry');

  // The same revocation and CRL at the same instant in both: the same bytes (RSA PKCS#1 v1.5 signs deterministically).
  clock.advance(DAY);
  revokeCertificate(vault, String(alice.id), 'superseded');
  revokeCertificate(copy, String(alice.id), 'superseded');
  const crlOriginal = await generateCrl(vault, 'Root');
  const crlRestored = await generateCrl(copy, 'Root');
  assert.equal(crlRestored.crlNumber, crlOriginal.crlNumber);
  assert.equal(crlRestored.entries, 2);
  assert.deepEqual(Buffer.from(crlRestored.der), Buffer.from(crlOriginal.der));

  // A new certificate from the restored vault, checked with the original CA certificate and the restored vault's CRL.
  const carol = await issueCertificate(copy, { ca: 'Root', profile: 'user', name: 'Carol Example', sans: [{ type: 'email', value: 'carol@example.com' }], keyType: 'ec-p256' });
  if (!needTools(t, 'openssl')) return;
  const files = join(dir, 'openssl');
  mkdirSync(files);
  writeFileSync(join(files, 'root.pem'), toCertificateRecord(vault, getCertRow(vault, root.certificateId)!).pem);
  writeFileSync(join(files, 'crl.pem'), crlRestored.pem);
  writeFileSync(join(files, 'carol.pem'), carol.record.pem);
  writeFileSync(join(files, 'alice.pem'), alice.pem);
  // At the test clock's time (the CRL's thisUpdate), not the machine's.
  const verify = (cert: string) => run('openssl', ['verify', '-attime', String(Math.floor(clock.now().getTime() / 1000)), '-crl_check', '-CAfile', 'root.pem', '-CRLfile', 'crl.pem', cert], { cwd: files });
  const ok = verify('carol.pem');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stdout.trim(), 'carol.pem: OK');
  const revoked = verify('alice.pem');
  assert.equal(revoked.status, 2);
  assert.match(revoked.stdout + revoked.stderr, /certificate revoked/);
});

test('restore never writes over an existing file: the original vault or any file stays as it was', async (t) => {
  const { vault, dir, path } = await pkiVault(t);
  const out = join(dir, 'b.certdesk-backup');
  await createBackup(vault, PASSPHRASE, out);
  const vaultBytes = readFileSync(path);
  await assert.rejects(
    restoreBackup(out, PASSPHRASE, path),
    certErr('VAULT_EXISTS', `a file already exists at ${path}: restore never writes over a vault or any other file; name a new vault file`),
  );
  assert.deepEqual(readFileSync(path), vaultBytes);
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'keep me');
  await assert.rejects(restoreBackup(out, PASSPHRASE, notes), certErr('VAULT_EXISTS', `a file already exists at ${notes}`));
  assert.equal(readFileSync(notes, 'utf8'), 'keep me');
  // A wrong passphrase restores nothing either.
  const fresh = join(dir, 'fresh.certdesk');
  await assert.rejects(restoreBackup(out, 'a wrong passphrase', fresh), certErr('VAULT_WRONG_PASSPHRASE'));
  assert.deepEqual(
    readdirSync(dir).filter((n) => n.startsWith('fresh') || n.startsWith('.fresh')),
    [],
  );
});

test('a backup taken between the steps of a running batch restores to a consistent vault that finishes the batch', { timeout: 300_000 }, async (t) => {
  const clock = new TestClock();
  const { vault, dir } = await newVault(t, { clock });
  await createCa(vault, { name: 'Users', subject: 'CN=Backup Users CA', keyType: 'ec-p256', days: 3650 });
  const ROWS = 80;
  const csv = Buffer.from('name,email\n' + Array.from({ length: ROWS }, (_, i) => `User ${i},user${i}@example.com\n`).join(''));
  mkdirSync(join(dir, 'stick'));
  const out = join(dir, 'mid-batch.certdesk-backup');
  let backup: Promise<{ error?: unknown }> | undefined;
  let steps = 0;
  const report = await runBatch(vault, {
    ca: 'Users',
    profile: 'user',
    csv,
    sourceName: 'people.csv',
    outDir: join(dir, 'stick'),
    passwordsFile: join(dir, 'stick', 'passwords.csv'),
    keyType: 'ec-p256',
    workers: 1,
    onStep() {
      // createBackup takes its snapshot before its first await: here, while the batch is between steps.
      if (++steps === 2) backup = createBackup(vault, PASSPHRASE, out).then(() => ({}), (error: unknown) => ({ error }));
    },
  });
  assert.equal(report.issued, ROWS);
  assert.ok(backup, 'the batch ran at least two steps');
  assert.equal((await backup).error, undefined);

  const target = join(dir, 'restored.certdesk');
  await restoreBackup(out, PASSPHRASE, target, vaultOptions(clock));
  const copy = Vault.open(target, vaultOptions(clock));
  t.after(() => copy.close());
  await copy.unlock(PASSPHRASE);
  assert.equal(verifyVault(copy).ok, true);
  const issued = (copy.db.prepare("SELECT count(*) AS n FROM certificates WHERE kind = 'end-entity'").get() as { n: number }).n;
  assert.ok(issued > 0 && issued < ROWS, `the snapshot is mid-batch: ${issued} of ${ROWS} certificates`);
  assert.equal(count(copy.db, 'batch_items'), issued, 'one batch item per certificate, no more, no less');
  const orphans = copy.db.prepare('SELECT count(*) AS n FROM batch_items WHERE certificate_id NOT IN (SELECT id FROM certificates)').get() as { n: number };
  assert.equal(orphans.n, 0);

  // The restored vault resumes the batch: the rows it holds are done or redelivered, the rest issued now.
  mkdirSync(join(dir, 'stick2'));
  const resumed = await runBatch(copy, {
    ca: 'Users',
    profile: 'user',
    csv,
    sourceName: 'people.csv',
    outDir: join(dir, 'stick2'),
    passwordsFile: join(dir, 'stick2', 'passwords.csv'),
    keyType: 'ec-p256',
    workers: 1,
  });
  assert.equal(resumed.issued, ROWS - issued);
  assert.equal(resumed.alreadyDone + resumed.redelivered, issued);
  assert.equal((copy.db.prepare("SELECT count(*) AS n FROM certificates WHERE kind = 'end-entity'").get() as { n: number }).n, ROWS);
  assert.equal(verifyVault(copy).ok, true);
});

test('backup refuses a vault that does not verify (its backup would not restore) and writes nothing', async (t) => {
  const { vault, dir, bob } = await pkiVault(t);
  // The keyCompromise revocation set back to valid with plain SQL, outside CertDesk.
  vault.db.prepare("UPDATE certificates SET status = 'valid', revoked_at = NULL, revocation_reason = NULL WHERE id = ?").run(bob.id);
  const out = join(dir, 'b.certdesk-backup');
  await assert.rejects(
    createBackup(vault, PASSPHRASE, out),
    certErr('VAULT_TAMPERED', `the vault ${join(dir, 'vault.certdesk')} does not verify: 2 problems: certificates: certificate ${bob.id} (Bob Example): does not match its MAC: changed outside CertDesk; cas: CA 1 "Root": `),
  );
  assert.deepEqual(readdirSync(dir).filter((n) => n.includes('backup')), []);
});
