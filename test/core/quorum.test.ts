// Issue 15, two officers to use a root: a CA under K-of-N control (electron/core/quorum/) signs only after K
// shares were given to the same Vault object; every refusal (K-1 shares, another CA's share, a share of the old
// split, a tampered share, a wrong passphrase, a share given twice) is exact and signs nothing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { exportCaFile } from '../../electron/core/ca/ca-export.js';
import { renewCa } from '../../electron/core/ca/ca-renew.js';
import { createCa, loadSigner } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { getCertRow, resolveCa } from '../../electron/core/issuance/records.js';
import { generateCrl } from '../../electron/core/issuance/revocation.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { quorumSessionOf } from '../../electron/core/quorum/session.js';
import { openShare, parseShare } from '../../electron/core/quorum/share-file.js';
import { reissueQuorum, setQuorum } from '../../electron/core/quorum/split.js';
import { quorumStatus } from '../../electron/core/quorum/status.js';
import { unlockQuorum, type ShareInput } from '../../electron/core/quorum/unlock.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { verifyVault } from '../../electron/core/vault/vault-verify.js';
import { createBackup } from '../../electron/core/backup/create-backup.js';
import { restoreBackup } from '../../electron/core/backup/restore-backup.js';
import { Vault } from '../../electron/core/vault/vault.js';
import { certErr, newVault, PASSPHRASE, vaultOptions } from '../helpers/engine-vault.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, run } from '../helpers/tools.js';
import { HOLDER_PASSPHRASES as PASS } from '../helpers/holders.js';

const HOLDERS = ['Alice', 'Bob', 'Carol'];

async function setup(t: TestContext) {
  const tv = await newVault(t);
  const { vault } = tv;
  await createCa(vault, { name: 'Root', subject: 'CN=Quorum Root,O=Example', keyType: 'ec-p256', days: 3650, crlUrl: 'http://pki.example.com/root.crl' });
  await createCa(vault, { name: 'Other', subject: 'CN=Other Root,O=Example', keyType: 'ec-p256', days: 3650 });
  const out = tempDir(t);
  const split = await setQuorum(vault, 'Root', { holders: HOLDERS, threshold: 2, passphrases: HOLDERS.map((h) => PASS[h]!), out });
  const share = (holder: string, files = split.files, passphrase = PASS[holder]!): ShareInput => {
    const f = files.find((x) => x.holder === holder)!;
    return { data: readFileSync(f.share), label: f.share, passphrase };
  };
  const count = () => (vault.db.prepare('SELECT COUNT(*) AS n FROM certificates').get() as { n: number }).n;
  const crlNumber = () => resolveCa(vault, 'Root').crlNumber;
  const issue = (name: string) => issueCertificate(vault, { ca: 'Root', profile: 'user', name, sans: [{ type: 'email', value: `${name.toLowerCase().replace(/\s+/g, '.')}@example.com` }], keyType: 'ec-p256', days: 30 });
  /** A new session: the vault locked (every quorum key dropped) and unlocked with its passphrase. */
  const relock = async () => {
    vault.lock();
    await vault.unlock(PASSPHRASE);
  };
  return { ...tv, out, split, share, count, crlNumber, issue, relock };
}

const REQUIRED = 'CA "Root" is under 2-of-3 control: give 2 shares with --share FILE';

test('quorum set writes one share file and one sheet per holder, audits holders, K, N and the split, and locks the CA key', async (t) => {
  const { vault, out, split, count, crlNumber, issue } = await setup(t);
  assert.deepEqual(split.holders, HOLDERS);
  assert.equal(split.k, 2);
  assert.equal(split.n, 3);
  assert.match(split.splitId, /^[0-9a-f]{32}$/);
  assert.deepEqual(readdirSync(out).sort(), [
    'root-share-1-of-3-alice.certdesk-share',
    'root-share-1-of-3-alice.html',
    'root-share-2-of-3-bob.certdesk-share',
    'root-share-2-of-3-bob.html',
    'root-share-3-of-3-carol.certdesk-share',
    'root-share-3-of-3-carol.html',
  ]);
  const set = listAudit(vault.db, { action: 'ca.quorum-set' });
  assert.equal(set.length, 1);
  assert.deepEqual(set[0]!.details, { ca: 'Root', holders: HOLDERS, k: 2, n: 3, splitId: split.splitId });
  assert.deepEqual(quorumStatus(vault, 'Root'), { ca: 'Root', underQuorum: true, k: 2, n: 3, holders: HOLDERS, splitId: split.splitId, unlockedBy: null });
  assert.equal(quorumStatus(vault, 'Other').underQuorum, false);

  // Without shares: nothing signs with Root, and the error names the CA and K.
  const before = count();
  await assert.rejects(loadSigner(vault, resolveCa(vault, 'Root')), certErr('QUORUM_REQUIRED', REQUIRED));
  await assert.rejects(issue('Nobody'), certErr('QUORUM_REQUIRED', REQUIRED));
  await assert.rejects(generateCrl(vault, 'Root'), certErr('QUORUM_REQUIRED', REQUIRED));
  await assert.rejects(createCa(vault, { name: 'Sub', subject: 'CN=Sub', keyType: 'ec-p256', issuer: 'Root' }), certErr('QUORUM_REQUIRED', REQUIRED));
  assert.equal(count(), before);
  assert.equal(crlNumber(), 0);
  // Another CA is not affected.
  await generateCrl(vault, 'Other');
  assert.equal(verifyVault(vault).ok, true, 'the re-sealed key row carries a valid MAC');

  // Setting it twice is refused.
  await assert.rejects(
    setQuorum(vault, 'Root', { holders: ['Dave', 'Erin'], threshold: 2, passphrases: [PASS.Dave!, PASS.Erin!], out: tempDir(t) }),
    certErr('INVALID_INPUT', 'CA "Root" is already under 2-of-3 control (Alice, Bob, Carol): re-issue its shares with "certdesk quorum reissue"'),
  );
});

test('the share files and sheets hold no plaintext share; the sheet carries the text and a QR code', async (t) => {
  const { split } = await setup(t);
  for (const f of split.files) {
    const text = readFileSync(f.share, 'utf8');
    assert.match(text, /^-----BEGIN CERTDESK SHARE-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTDESK SHARE-----\n$/);
    const parsed = parseShare(Buffer.from(text), f.share);
    assert.deepEqual(['ca' in parsed ? parsed.ca : null, parsed.holder, parsed.index, parsed.k, parsed.n, parsed.splitId], ['Root', f.holder, f.index, 2, 3, split.splitId]);
    const raw = await openShare(parsed, PASS[f.holder]!, f.share);
    assert.equal(raw.length, 33, 'a Shamir share of the 32-byte quorum key and its x coordinate');
    assert.equal(statSync(f.share).mode & 0o777, 0o600, 'owner-only share file');
    assert.equal(statSync(f.sheet).mode & 0o777, 0o600, 'owner-only sheet');
    const sheet = readFileSync(f.sheet, 'utf8');
    const body = Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64').toString('utf8');
    for (const form of [raw.toString('hex'), raw.toString('base64'), raw.subarray(0, 32).toString('hex'), raw.subarray(0, 32).toString('base64')]) {
      assert.equal(text.includes(form), false, 'no plaintext share in the file');
      assert.equal(body.includes(form), false, 'no plaintext share in the decoded body');
      assert.equal(sheet.includes(form), false, 'no plaintext share on the sheet');
    }
    assert.ok(sheet.includes(text.replace(/\n$/, '')), 'the sheet prints the share text');
    assert.match(sheet, /<img class="qr share-qr" alt="QR code of the share text" src="data:image\/png;base64,/);
    assert.ok(sheet.includes(`${f.holder}</strong>'s share of the key of CA <strong>Root</strong>. Any 2 of the 3`));
  }
});

test('any 2 of the 3 shares (and all 3) unlock and sign; the audit names the holders and holds no share', async (t) => {
  const { vault, share, issue, relock, split } = await setup(t);
  const root = resolveCa(vault, 'Root');
  const rootCert = new x509.X509Certificate(getCertRow(vault, root.certificateId)!.der);
  const combos = [['Alice', 'Bob'], ['Alice', 'Carol'], ['Bob', 'Carol'], ['Carol', 'Alice', 'Bob']];
  for (const combo of combos) {
    await relock();
    const unlocked = await unlockQuorum(vault, 'Root', combo.map((h) => share(h)));
    const inOrder = HOLDERS.filter((h) => combo.includes(h));
    assert.deepEqual(unlocked.holders, inOrder);
    assert.deepEqual(quorumStatus(vault, 'Root').unlockedBy, inOrder);
    const issued = await issue(`User ${combo.join(' ')}`);
    const cert = new x509.X509Certificate(getCertRow(vault, issued.record.id)!.der);
    assert.equal(await cert.verify({ publicKey: rootCert.publicKey, signatureOnly: true }), true, `signed by Root with ${combo.join('+')}`);
    const uses = listAudit(vault.db, { action: 'ca.quorum-use' });
    assert.deepEqual(uses[0]!.details, { ca: 'Root', holders: inOrder, splitId: split.splitId, k: 2, n: 3 });
  }
  // Shares from none of these appear in the audit log, in any form.
  const log = JSON.stringify(listAudit(vault.db, {}));
  for (const f of split.files) {
    const raw = await openShare(parseShare(readFileSync(f.share), f.share), PASS[f.holder]!, f.share);
    const body = readFileSync(f.share, 'utf8').split('\n').slice(1, -2).join('');
    for (const form of [raw.toString('hex'), raw.toString('base64'), body.slice(0, 40)]) assert.equal(log.includes(form), false);
  }
  // A CRL too, and the session ends with the lock: Q zeroed.
  const crl = await generateCrl(vault, 'Root');
  assert.equal(crl.crlNumber, 1);
  const session = quorumSessionOf(vault, getCertRow(vault, root.certificateId)!.key_id!)!;
  const q = session.q;
  assert.equal(q.length, 32);
  vault.lock();
  assert.deepEqual(q, Buffer.alloc(32), 'the quorum key is zeroed at lock');
  await vault.unlock(PASSPHRASE);
  await assert.rejects(issue('After lock'), certErr('QUORUM_REQUIRED', REQUIRED));
});

test('openssl verify accepts a certificate Root signed under quorum', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { vault, share, issue, dir, clock } = await setup(t);
  await unlockQuorum(vault, 'Root', [share('Bob'), share('Carol')]);
  const issued = await issue('Verified User');
  const root = resolveCa(vault, 'Root');
  writeFileSync(join(dir, 'root.pem'), new x509.X509Certificate(getCertRow(vault, root.certificateId)!.der).toString('pem'));
  writeFileSync(join(dir, 'user.pem'), new x509.X509Certificate(getCertRow(vault, issued.record.id)!.der).toString('pem'));
  // At the test clock's time: the certificate's 30 days run from there.
  const at = String(Math.floor(clock.now().getTime() / 1000) + 3600);
  const r = run('openssl', ['verify', '-attime', at, '-CAfile', join(dir, 'root.pem'), join(dir, 'user.pem')]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, `${join(dir, 'user.pem')}: OK\n`);
  assert.equal(r.status, 0);
});

test('K-1 shares, another CA\'s share, a tampered share, a wrong passphrase and a share given twice: exact errors, nothing signed', async (t) => {
  const { vault, share, count, crlNumber, issue, out } = await setup(t);
  const otherSplit = await setQuorum(vault, 'Other', { holders: ['Olga', 'Pete'], threshold: 2, passphrases: [PASS.Olga!, PASS.Pete!], out: tempDir(t) });
  const before = count();
  const alice = share('Alice');
  const bob = share('Bob');

  await assert.rejects(unlockQuorum(vault, 'Root', [alice]), certErr('QUORUM_REQUIRED', `${REQUIRED} (1 given: Alice)`));
  await assert.rejects(unlockQuorum(vault, 'Root', []), certErr('QUORUM_REQUIRED', `${REQUIRED} (none given)`));
  const olga = share('Olga', otherSplit.files);
  await assert.rejects(unlockQuorum(vault, 'Root', [alice, olga]), certErr('SHARE_REJECTED', `share file ${olga.label} is a share of CA "Other", not of CA "Root" in this vault: it is not used`));
  await assert.rejects(unlockQuorum(vault, null, [alice, olga]), certErr('SHARE_REJECTED', `the shares given belong to different CAs (${alice.label} to CA "Root", ${olga.label} to CA "Other"): give the shares of the one CA that signs`));
  await assert.rejects(
    unlockQuorum(vault, 'Root', [alice, { ...bob, passphrase: PASS.Carol! }]),
    certErr('SHARE_BAD_PASSPHRASE', `wrong passphrase for the share of "Bob" (${bob.label}), or the file was altered: it does not open (nothing was signed)`),
  );
  await assert.rejects(
    unlockQuorum(vault, 'Root', [alice, { ...alice, label: join(out, 'copy-of-alice.certdesk-share') }]),
    certErr('SHARE_REJECTED', `the share of "Alice" is given twice (${alice.label} and ${join(out, 'copy-of-alice.certdesk-share')}): give 2 different officers' shares`),
  );
  // A byte changed anywhere: in the armor, early, in the middle and at the end of the base64 body.
  const text = Buffer.from(alice.data);
  const positions = [3, 40, Math.floor(text.length / 2), text.length - 40, text.length - 33];
  for (const at of positions) {
    const bad = Buffer.from(text);
    bad[at] = bad[at] === 0x41 ? 0x42 : 0x41;
    await assert.rejects(unlockQuorum(vault, 'Root', [{ ...alice, data: bad }, bob]), certErr('SHARE_REJECTED', `share file ${alice.label} is damaged or was altered (`, '): it is not used'), `byte ${at}`);
  }
  // Every refusal left the vault as it was: no certificate, no CRL, no quorum key in memory.
  assert.equal(count(), before);
  assert.equal(crlNumber(), 0);
  assert.equal(quorumStatus(vault, 'Root').unlockedBy, null);
  await assert.rejects(issue('Still locked'), certErr('QUORUM_REQUIRED', REQUIRED));
  assert.equal(listAudit(vault.db, { action: 'ca.quorum-use' }).length, 0);
});

test('reissue by 2 officers: a new split for new holders; the old shares stop working, the new ones sign', async (t) => {
  const { vault, share, split, issue, count, relock } = await setup(t);
  // A quorum unlocked before the re-issue does not outlive it.
  await unlockQuorum(vault, 'Root', [share('Alice'), share('Bob')]);
  const out2 = tempDir(t);
  const next = await reissueQuorum(vault, 'Root', [share('Alice'), share('Carol')], { holders: ['Dave', 'Erin', 'Alice'], threshold: 2, passphrases: [PASS.Dave!, PASS.Erin!, 'alice second sunflower kettle 85'], out: out2 });
  assert.notEqual(next.splitId, split.splitId);
  const audit = listAudit(vault.db, { action: 'ca.quorum-reissue' });
  assert.deepEqual(audit[0]!.details, { ca: 'Root', holders: ['Dave', 'Erin', 'Alice'], k: 2, n: 3, splitId: next.splitId, previousSplitId: split.splitId, authorisedBy: ['Alice', 'Carol'] });
  const before = count();
  await assert.rejects(issue('After reissue'), certErr('QUORUM_REQUIRED', REQUIRED));
  const old = share('Bob');
  await assert.rejects(
    unlockQuorum(vault, 'Root', [old, share('Carol')]),
    certErr('SHARE_REJECTED', `share file ${old.label} (Bob) is from another split of CA "Root": its shares were re-issued since, and it no longer works`),
  );
  assert.equal(count(), before);
  await relock();
  await unlockQuorum(vault, 'Root', [share('Erin', next.files), share('Alice', next.files, 'alice second sunflower kettle 85')]);
  await issue('New Split User');
  assert.equal(count(), before + 1);
});

test('quorum set refuses a bad K or N, holder names and weak or repeated passphrases, and writes nothing', async (t) => {
  const { vault } = await newVault(t);
  await createCa(vault, { name: 'Root', subject: 'CN=Root', keyType: 'ec-p256' });
  const out = tempDir(t);
  const set = (holders: string[], threshold: number, passphrases = holders.map((h) => PASS[h] ?? 'a different strong passphrase 17')) => setQuorum(vault, 'Root', { holders, threshold, passphrases, out });
  await assert.rejects(set(['Alice', 'Bob'], 1), certErr('INVALID_INPUT', 'threshold: must be a whole number from 2 to the number of shares (2), got 1'));
  await assert.rejects(set(['Alice', 'Bob'], 3), certErr('INVALID_INPUT', 'threshold: must be a whole number from 2 to the number of shares (2), got 3'));
  await assert.rejects(set(['Alice'], 1), certErr('INVALID_INPUT', 'holders: give 2 to 16 holder names (one share each), got 1'));
  await assert.rejects(set(Array.from({ length: 17 }, (_, i) => `H${i}`), 2), certErr('INVALID_INPUT', 'holders: give 2 to 16 holder names (one share each), got 17'));
  await assert.rejects(set(['Alice', 'alice'], 2), certErr('INVALID_INPUT', 'holders: "alice" is named twice; each share goes to a different officer'));
  await assert.rejects(set(['Alice', ' '], 2), certErr('INVALID_INPUT', 'holders: a holder name is 1 to 64 characters without control characters, got ""'));
  await assert.rejects(set(['Alice', 'Bob'], 2, [PASS.Alice!, 'short']), certErr('INVALID_INPUT', 'the passphrase of holder "Bob": at least 10 characters are required'));
  await assert.rejects(set(['Alice', 'Bob'], 2, [PASS.Alice!, 'password123']), certErr('INVALID_INPUT', 'the passphrase of holder "Bob": '));
  await assert.rejects(set(['Alice', 'Bob'], 2, [PASS.Alice!, PASS.Alice!]), certErr('INVALID_INPUT', 'holders "Alice" and "Bob" were given the same passphrase: each officer chooses their own'));
  assert.deepEqual(readdirSync(out), []);
  assert.equal(quorumStatus(vault, 'Root').underQuorum, false);
  assert.equal(listAudit(vault.db, { action: 'ca.quorum-set' }).length, 0);
});

test('the root renews itself with its key (same key: the shares still work after) and its key leaves as a PFX only with the shares', async (t) => {
  const { vault, share, issue, relock, dir } = await setup(t);
  await assert.rejects(renewCa(vault, 'Root'), certErr('QUORUM_REQUIRED', REQUIRED));
  const pfx = join(dir, 'root.pfx');
  await assert.rejects(exportCaFile(vault, 'Root', { format: 'pfx', out: pfx, password: 'Export-Password-2026' }), certErr('QUORUM_REQUIRED', REQUIRED));
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.pfx')), []);
  await unlockQuorum(vault, 'Root', [share('Alice'), share('Bob')]);
  const renewed = await renewCa(vault, 'Root');
  assert.equal(renewed.newKey, false);
  await relock();
  // Same key, new certificate: the split still names this CA's key.
  await unlockQuorum(vault, 'Root', [share('Carol'), share('Bob')]);
  await issue('After Renewal');
  await exportCaFile(vault, 'Root', { format: 'pfx', out: pfx, password: 'Export-Password-2026' });
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.pfx')), ['root.pfx']);
  assert.deepEqual(
    listAudit(vault.db, { action: 'ca.quorum-use' }).map((e) => e.details.holders),
    [['Bob', 'Carol'], ['Bob', 'Carol'], ['Alice', 'Bob']],
  );
});

test('shares of a CA of the same name in another vault are refused by its key', async (t) => {
  const { vault, share } = await setup(t);
  const elsewhere = await newVault(t);
  await createCa(elsewhere.vault, { name: 'Root', subject: 'CN=Quorum Root,O=Example', keyType: 'ec-p256' });
  const foreign = await setQuorum(elsewhere.vault, 'Root', { holders: ['Alice', 'Bob'], threshold: 2, passphrases: [PASS.Alice!, PASS.Bob!], out: tempDir(t) });
  const theirs = share('Alice', foreign.files);
  const message = `share file ${theirs.label} is a share of another CA named "Root" (another key: another vault's CA, or one since renewed with a new key), not of CA "Root" in this vault: it is not used`;
  await assert.rejects(unlockQuorum(vault, 'Root', [theirs, share('Bob')]), certErr('SHARE_REJECTED', message));
  await assert.rejects(unlockQuorum(vault, null, [theirs, share('Bob', foreign.files)]), certErr('SHARE_REJECTED', message));
  assert.equal(quorumStatus(vault, 'Root').unlockedBy, null);
});

test('a restored backup keeps the CA under quorum: the same shares unlock it, nothing signs without them', async (t) => {
  const { vault, share, dir, clock } = await setup(t);
  const file = join(dir, 'q.certdesk-backup');
  await createBackup(vault, PASSPHRASE, file);
  const target = join(dir, 'restored.certdesk');
  await restoreBackup(file, PASSPHRASE, target, vaultOptions(clock));
  const restored = Vault.open(target, vaultOptions(clock));
  t.after(() => restored.close());
  await restored.unlock(PASSPHRASE);
  await assert.rejects(generateCrl(restored, 'Root'), certErr('QUORUM_REQUIRED', REQUIRED));
  await unlockQuorum(restored, 'Root', [share('Carol'), share('Alice')]);
  assert.equal((await generateCrl(restored, 'Root')).crlNumber, 1);
});
