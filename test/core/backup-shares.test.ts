// Issue 15, backups that restore "with K of N backup shares instead" of the vault passphrase: createBackup with
// shares adds a key slot "shares" (content key and vault key under Q, Q split K-of-N into share files sealed
// under each holder's passphrase); K shares restore into a new vault that opens with a new passphrase, verifies,
// issues and publishes CRLs as the original; every refusal is exact and writes no vault file; backup verify
// opens the shares slot as fully as the passphrase slot.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createBackup } from '../../electron/core/backup/create-backup.js';
import { restoreBackup } from '../../electron/core/backup/restore-backup.js';
import { verifyBackupFile } from '../../electron/core/backup/verify-backup.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { revokeCertificate } from '../../electron/core/issuance/revocation.js';
import { publishCrls } from '../../electron/core/lifecycle/crl-publish.js';
import { parseShare, formatShare, isBackupShare } from '../../electron/core/quorum/share-file.js';
import { setQuorum } from '../../electron/core/quorum/split.js';
import { unlockQuorum, type ShareInput } from '../../electron/core/quorum/unlock.js';
import { verifyVault } from '../../electron/core/vault/vault-verify.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { certErr, newVault, PASSPHRASE, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';
import { HOLDER_PASSPHRASES as PASS } from '../helpers/holders.js';

const HOLDERS = ['Alice', 'Bob', 'Carol'];
const NEW_PASSPHRASE = 'restored vault hazel kettle 83';

/** A vault with a root, one certificate issued and one revoked, backed up with 2-of-3 backup shares. */
async function setup(t: TestContext) {
  const tv = await newVault(t, { file: 'vault.certdesk' });
  const { vault, dir } = tv;
  await createCa(vault, { name: 'Root', subject: 'CN=Shares Root,O=Example', keyType: 'ec-p256', days: 3650, crlUrl: 'http://pki.example.com/root.crl' });
  await issueCertificate(vault, { ca: 'Root', profile: 'user', name: 'Alice Example', sans: [{ type: 'email', value: 'alice@example.com' }], keyType: 'ec-p256' });
  const bob = await issueCertificate(vault, { ca: 'Root', profile: 'user', name: 'Bob Example', sans: [{ type: 'email', value: 'bob@example.com' }], keyType: 'ec-p256' });
  revokeCertificate(vault, String(bob.record.id), 'keyCompromise');
  const sharesOut = join(dir, 'shares');
  mkdirSync(sharesOut);
  const file = join(dir, 'b.certdesk-backup');
  const made = await createBackup(vault, PASSPHRASE, file, undefined, { shares: { holders: HOLDERS, threshold: 2, passphrases: HOLDERS.map((h) => PASS[h]!), out: sharesOut } });
  const share = (holder: string, files = made.shares!.files, passphrase = PASS[holder]!): ShareInput => {
    const f = files.find((x) => x.holder === holder)!;
    return { data: readFileSync(f.share), label: f.share, passphrase };
  };
  /** Nothing named like the target (or its temporary sibling) in its folder. */
  const nothingAt = (target: string) => assert.deepEqual(readdirSync(dir).filter((n) => n.includes(target.split('/').pop()!)), [], `no file for ${target}`);
  return { ...tv, file, made, share, sharesOut, nothingAt };
}

test('backup with shares: two key slots, one share file and sheet per holder (owner-only, no share in the clear), audited with the holders', async (t) => {
  const { vault, made, sharesOut } = await setup(t);
  assert.deepEqual(
    readdirSync(sharesOut).sort(),
    ['b-backup-share-1-of-3-alice', 'b-backup-share-2-of-3-bob', 'b-backup-share-3-of-3-carol'].flatMap((s) => [`${s}.certdesk-share`, `${s}.html`]).sort(),
  );
  assert.deepEqual([made.shares!.k, made.shares!.n, made.shares!.holders], [2, 3, HOLDERS]);
  for (const f of made.shares!.files) {
    assert.equal(statSync(f.share).mode & 0o777, 0o600);
    const text = readFileSync(f.share, 'utf8');
    const parsed = parseShare(Buffer.from(text), f.share);
    assert.ok(isBackupShare(parsed));
    assert.deepEqual([parsed.vault, parsed.takenAt, parsed.holder, parsed.splitId], ['vault.certdesk', made.manifest.createdAt, f.holder, made.shares!.splitId]);
    assert.equal(formatShare(parsed), text, 'written exactly as the share format writes it');
    const sheet = readFileSync(f.sheet, 'utf8');
    assert.ok(sheet.includes('<img class="qr share-qr"'), 'a QR code on the sheet');
    assert.ok(sheet.includes(text.split('\n')[1]!), 'the share text on the sheet');
    assert.match(sheet, /restore that backup without the vault passphrase/);
  }
  const v = await verifyBackupFile(made.file, PASSPHRASE);
  assert.deepEqual(v.keyWraps, ['passphrase', 'shares']);
  assert.deepEqual(v.slots, [
    { method: 'passphrase', opened: true },
    { method: 'shares', opened: false, k: 2, n: 3, holders: HOLDERS },
  ]);
  const audit = vault.db.prepare("SELECT details FROM audit WHERE action = 'vault.backup'").get() as { details: string };
  const details = JSON.parse(audit.details) as { keyWraps: string[]; shares: unknown };
  assert.deepEqual(details.keyWraps, ['passphrase', 'shares']);
  assert.deepEqual(details.shares, { k: 2, n: 3, holders: HOLDERS, splitId: made.shares!.splitId });
});

test('K shares restore: a new vault that opens with the new passphrase only, passes vault verify, issues and publishes CRLs as the original', async (t) => {
  const { vault, dir, clock, file, share } = await setup(t);
  const target = join(dir, 'restored', 'r.certdesk');
  const r = await restoreBackup(file, { shares: [share('Carol'), share('Alice')], newPassphrase: NEW_PASSPHRASE }, target, vaultOptions(clock));
  assert.deepEqual(r.holders, ['Alice', 'Carol']);
  assert.deepEqual(readdirSync(join(dir, 'restored')), ['r.certdesk'], 'no temporary file left');
  const copy = Vault.open(target, vaultOptions(clock));
  t.after(() => copy.close());
  await assert.rejects(copy.unlock(PASSPHRASE), certErr('VAULT_WRONG_PASSPHRASE'));
  await copy.unlock(NEW_PASSPHRASE);
  assert.equal(verifyVault(copy).ok, true);
  const restoreEntry = copy.db.prepare("SELECT details FROM audit WHERE action = 'vault.restore'").get() as { details: string };
  const details = JSON.parse(restoreEntry.details) as { keySlot: string; holders: string[] };
  assert.deepEqual([details.keySlot, details.holders], ['shares', ['Alice', 'Carol']]);
  assert.equal(restoreEntry.details.includes(NEW_PASSPHRASE), false);
  // The same records as the original.
  for (const table of ['cas', 'certificates', 'keys']) {
    assert.deepEqual(copy.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(), vault.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all(), table);
  }
  // Issues, and publishes CRLs with the same numbers as the original.
  const carol = await issueCertificate(copy, { ca: 'Root', profile: 'user', name: 'Carol Example', sans: [{ type: 'email', value: 'carol@example.com' }], keyType: 'ec-p256' });
  assert.match(carol.record.pem, /BEGIN CERTIFICATE/);
  const outA = tempDir(t);
  const outB = tempDir(t);
  const pubOriginal = await publishCrls(vault, outA);
  const pubRestored = await publishCrls(copy, outB);
  assert.deepEqual(pubRestored.crls.map((c) => [c.ca, c.crlNumber, c.entries]), pubOriginal.crls.map((c) => [c.ca, c.crlNumber, c.entries]));
  assert.equal(pubRestored.crls[0]!.entries, 1, 'the revocation made before the backup is in the restored CRL');
  assert.equal(verifyVault(copy).ok, true);
  // The passphrase slot still restores too.
  const other = join(dir, 'by-passphrase.certdesk');
  await restoreBackup(file, PASSPHRASE, other, vaultOptions(clock));
  assert.ok(existsSync(other));
});

test('restore with shares refuses, exactly and writing no vault file: K-1 shares, another backup\'s share, a CA quorum share, a tampered share, a wrong share passphrase, a share twice, a weak new passphrase, an existing file', async (t) => {
  const { vault, dir, file, share, made, nothingAt } = await setup(t);
  const target = join(dir, 'nope.certdesk');
  const restore = (shares: ShareInput[], newPassphrase = NEW_PASSPHRASE, to = target) => restoreBackup(file, { shares, newPassphrase }, to, vaultOptions());

  await assert.rejects(restore([share('Bob')]), certErr('QUORUM_REQUIRED', `${file} restores with 2 of its 3 backup shares (Alice, Bob, Carol): give 2 shares with --share FILE (1 given: Bob)`));
  nothingAt(target);
  await assert.rejects(restore([]), certErr('QUORUM_REQUIRED', '(none given)'));

  // Another backup of the same vault, with its own split.
  const second = join(dir, 'second');
  mkdirSync(second);
  const other = await createBackup(vault, PASSPHRASE, join(dir, 'c.certdesk-backup'), undefined, { shares: { holders: HOLDERS, threshold: 2, passphrases: HOLDERS.map((h) => PASS[h]!), out: second } });
  const foreign = share('Bob', other.shares!.files);
  await assert.rejects(
    restore([share('Alice'), foreign]),
    certErr('SHARE_REJECTED', `share file ${foreign.label} (Bob) is a share of another backup (of vault "vault.certdesk" taken ${other.manifest.createdAt}), not of ${file}: it is not used`),
  );
  nothingAt(target);

  // A share of a CA key under two-officer control.
  const caShares = join(dir, 'ca-shares');
  mkdirSync(caShares);
  const split = await setQuorum(vault, 'Root', { holders: HOLDERS, threshold: 2, passphrases: HOLDERS.map((h) => PASS[h]!), out: caShares });
  const caShare = share('Bob', split.files);
  await assert.rejects(restore([share('Alice'), caShare]), certErr('SHARE_REJECTED', `share file ${caShare.label} is a share of CA "Root"'s key (two-officer control), not of a backup: it is not used`));
  nothingAt(target);
  // And the other way round: a backup share does not unlock a CA.
  await assert.rejects(unlockQuorum(vault, 'Root', [share('Alice'), caShare]), certErr('SHARE_REJECTED', `is a share of the backup of vault "vault.certdesk" taken ${made.manifest.createdAt}, not of a CA's key`));

  // A tampered share: one character of its text changed.
  const good = share('Carol');
  const text = Buffer.from(good.data).toString('utf8');
  const at = text.indexOf('\n') + 10;
  const bad = { ...good, data: Buffer.from(text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1)) };
  await assert.rejects(restore([share('Alice'), bad]), certErr('SHARE_REJECTED', `share file ${good.label} is damaged or was altered`));
  nothingAt(target);

  await assert.rejects(
    restore([share('Alice'), share('Carol', undefined, 'not carol at all 12345')]),
    certErr('SHARE_BAD_PASSPHRASE', `wrong passphrase for the share of "Carol" (${good.label}), or the file was altered: it does not open (the backup was not opened)`),
  );
  nothingAt(target);

  await assert.rejects(restore([share('Alice'), share('Alice')]), certErr('SHARE_REJECTED', 'the share of "Alice" is given twice'));
  await assert.rejects(restore([share('Alice'), share('Bob')], 'short'), certErr('INVALID_INPUT', 'passphrase: at least 10 characters are required'));
  nothingAt(target);

  // Never over an existing file.
  const notes = join(dir, 'notes.txt');
  writeFileSync(notes, 'keep me');
  await assert.rejects(restore([share('Alice'), share('Bob')], NEW_PASSPHRASE, notes), certErr('VAULT_EXISTS', `a file already exists at ${notes}`));
  assert.equal(readFileSync(notes, 'utf8'), 'keep me');

  // A backup made without shares has no shares slot.
  const plain = join(dir, 'plain.certdesk-backup');
  await createBackup(vault, PASSPHRASE, plain);
  await assert.rejects(restoreBackup(plain, { shares: [share('Alice'), share('Bob')], newPassphrase: NEW_PASSPHRASE }, target), certErr('INVALID_INPUT', `${plain} has no backup shares key slot`));
  nothingAt(target);
});

/** Another byte, and a hex digit stays a hex digit ('f' ^ 1 is 'g', which the header check would call malformed instead). */
function alterByte(b: number): number {
  const hex = '0123456789abcdef';
  const at = hex.indexOf(String.fromCharCode(b));
  return at >= 0 ? hex.charCodeAt((at + 1) % 16) : b ^ 0x01;
}

function resum(bytes: Buffer): Buffer {
  const body = bytes.subarray(0, bytes.length - 32);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

test('backup verify with shares opens the shares slot and verifies everything behind it; one byte changed anywhere and it fails', async (t) => {
  const { dir, file, share } = await setup(t);
  const v = await verifyBackupFile(file, { shares: [share('Bob'), share('Carol')] });
  assert.equal(v.verification.ok, true);
  assert.deepEqual(v.manifest.counts, { cas: 1, certificates: 2 });
  assert.deepEqual(v.slots, [
    { method: 'passphrase', opened: false },
    { method: 'shares', opened: true, k: 2, n: 3, holders: HOLDERS, openedBy: ['Bob', 'Carol'] },
  ]);
  const bytes = readFileSync(file);
  const headerEnd = 20 + bytes.readUInt32BE(16);
  const slotAt = bytes.indexOf('"method":"shares"') ;
  assert.ok(slotAt > 0 && slotAt < headerEnd);
  const ctAt = bytes.indexOf('"ciphertext":"', slotAt) + 20;
  for (const [name, offset] of [['shares slot', ctAt], ['ciphertext', headerEnd + 50], ['mac', bytes.length - 40]] as const) {
    const changed = Buffer.from(bytes);
    changed[offset] = alterByte(changed[offset]!);
    const path = join(dir, `${name.replace(' ', '-')}.certdesk-backup`);
    writeFileSync(path, changed);
    await assert.rejects(verifyBackupFile(path, { shares: [share('Bob'), share('Carol')] }), certErr('VAULT_TAMPERED', 'its SHA-256 checksum does not match'), name);
    writeFileSync(path, resum(changed));
    // With the checksum recomputed: the shares slot no longer opens with Q, or the MAC catches it.
    await assert.rejects(
      verifyBackupFile(path, { shares: [share('Bob'), share('Carol')] }),
      (e: unknown) => certErr(name === 'shares slot' ? 'SHARE_REJECTED' : 'VAULT_TAMPERED', name === 'shares slot' ? 'do not recover the key of backup' : 'its MAC does not match')(e),
      name,
    );
    // The passphrase path catches the altered shares slot through the MAC over the header.
    await assert.rejects(verifyBackupFile(path, PASSPHRASE), certErr('VAULT_TAMPERED', 'its MAC does not match'), name);
  }
});

test('backup with shares writes nothing on a bad request or a share file that exists; no passphrase reaches the audit log or a share file', async (t) => {
  const tv = await newVault(t, { file: 'vault.certdesk' });
  const { vault, dir } = tv;
  await createCa(vault, { name: 'Root', subject: 'CN=Shares Root,O=Example', keyType: 'ec-p256', days: 3650 });
  const out = join(dir, 'shares');
  mkdirSync(out);
  const file = join(dir, 'b.certdesk-backup');
  const passphrases = HOLDERS.map((h) => PASS[h]!);
  const backup = (shares: Partial<{ holders: string[]; threshold: number; passphrases: string[]; out: string }>) =>
    createBackup(vault, PASSPHRASE, file, undefined, { shares: { holders: HOLDERS, threshold: 2, passphrases, out, ...shares } });
  const nothingWritten = (why: string) => {
    assert.equal(existsSync(file), false, `${why}: no backup`);
    assert.deepEqual(readdirSync(out).filter((n) => n !== 'b-backup-share-2-of-3-bob.certdesk-share'), [], `${why}: no share file`);
    assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], `${why}: no temporary file`);
  };
  await assert.rejects(backup({ passphrases: ['short', PASS.Bob!, PASS.Carol!] }), certErr('INVALID_INPUT', 'the passphrase of holder "Alice": at least 10 characters are required'));
  nothingWritten('weak passphrase');
  await assert.rejects(backup({ passphrases: [PASS.Alice!, PASS.Alice!, PASS.Carol!] }), certErr('INVALID_INPUT', 'holders "Alice" and "Bob" were given the same passphrase'));
  await assert.rejects(backup({ threshold: 4 }), certErr('INVALID_INPUT', 'threshold: must be a whole number from 2 to the number of shares (3), got 4'));
  await assert.rejects(backup({ threshold: 1 }), certErr('INVALID_INPUT', 'threshold'));
  await assert.rejects(backup({ out: join(dir, 'missing') }), certErr('IO_ERROR', join(dir, 'missing')));
  nothingWritten('missing folder');
  const existing = join(out, 'b-backup-share-2-of-3-bob.certdesk-share');
  writeFileSync(existing, 'keep me');
  await assert.rejects(backup({}), certErr('IO_ERROR', existing));
  assert.equal(readFileSync(existing, 'utf8'), 'keep me');
  nothingWritten('existing share file');
  assert.equal(listBackups(vault), 0, 'no vault.backup audit entry for a backup not written');

  // Written: no passphrase (vault, holders) in any audit entry or share file.
  rmSync(existing);
  const made = await backup({});
  assert.equal(listBackups(vault), 1);
  const audit = (vault.db.prepare('SELECT details FROM audit').all() as { details: string }[]).map((r) => r.details).join('\n');
  const files = made.shares!.files.flatMap((f) => [readFileSync(f.share, 'utf8'), readFileSync(f.sheet, 'utf8')]).join('\n');
  for (const secret of [PASSPHRASE, ...passphrases]) {
    assert.equal(audit.includes(secret), false, 'no passphrase in the audit log');
    assert.equal(files.includes(secret), false, 'no passphrase in a share file or sheet');
  }
});

function listBackups(vault: Vault): number {
  return (vault.db.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'vault.backup'").get() as { n: number }).n;
}
