// The recipients directory (issue 12): a recipient's view (its certificates, the SID its newest certificate
// carries when none is stored), editing it (checked as at issue, MACed, audited as recipient.update, refused when
// the record was changed outside CertDesk), and the account kind following a device recipient.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { checkIssueRequest } from '../../electron/core/issuance/issue-check.js';
import { getRecipientView, updateRecipient } from '../../electron/core/issuance/recipient-directory.js';
import { listRecipients } from '../../electron/core/issuance/recipients.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { verificationLines, verifyVault } from '../../electron/core/vault/vault-verify.js';
import { accountKindOf } from '../../electron/core/windows/account-kind.js';
import { selectForAdMapping } from '../../electron/core/windows/ad-mapping-select.js';
import { certErr, counts } from '../helpers/engine-vault.js';
import { alice, SID, SID2, windowsVault } from '../helpers/windows-recipients.js';

const setup = windowsVault;

test('accountKindOf: a device recipient or a machine profile maps to a computer account, else a user account', () => {
  assert.equal(accountKindOf('vpn', 'device'), 'device');
  assert.equal(accountKindOf('user', 'device'), 'device');
  assert.equal(accountKindOf('vpn', 'person'), 'person');
  assert.equal(accountKindOf('vpn', null), 'person');
  assert.equal(accountKindOf('server', 'person'), 'device');
  assert.equal(accountKindOf('kdc', undefined), 'device');
  assert.equal(accountKindOf(null, null), 'person');
});

test('updateRecipient: SID, account, e-mail, phone, description stored, searchable, MACed and audited; clearing with null or blank', async (t) => {
  const { vault } = await setup(t);
  const { record } = await issueCertificate(vault, alice);
  const id = record.recipient!.id;
  const view = updateRecipient(vault, id, { sid: ` ${SID.toLowerCase()} `, account: ' aadmin ', email: 'alice@corp.test', phone: '+49 30 1234', description: 'IT' });
  assert.deepEqual(view.recipient, { id, kind: 'person', name: 'Alice Admin', email: 'alice@corp.test', phone: '+49 30 1234', description: 'IT', sid: SID, account: 'aadmin' });
  assert.equal(view.accountKind, 'person');
  assert.equal(view.sidFromCertificate, null);
  assert.deepEqual(view.certificates.map((c) => c.id), [record.id]);
  assert.deepEqual(listRecipients(vault, 'aadm').map((r) => r.id), [id]);
  const [entry] = listAudit(vault.db, { action: 'recipient.update' });
  assert.equal(entry!.target, `recipient:${id}`);
  assert.deepEqual(entry!.details, {
    name: 'Alice Admin',
    changes: {
      email: { from: null, to: 'alice@corp.test' },
      phone: { from: null, to: '+49 30 1234' },
      description: { from: null, to: 'IT' },
      sid: { from: null, to: SID },
      account: { from: null, to: 'aadmin' },
    },
  });
  const verified = verifyVault(vault);
  assert.equal(verified.ok, true, verificationLines(verified).join('\n'));

  // The same values again change nothing and write no audit entry; null and '' clear.
  const before = counts(vault.db);
  updateRecipient(vault, id, { sid: SID, account: 'aadmin' });
  assert.deepEqual(counts(vault.db), before);
  const cleared = updateRecipient(vault, id, { sid: null, account: '  ', phone: '' });
  assert.deepEqual([cleared.recipient.sid, cleared.recipient.account, cleared.recipient.phone, cleared.recipient.email], [null, null, null, 'alice@corp.test']);
  assert.equal(listAudit(vault.db, { action: 'recipient.update' }).length, 2);
  assert.equal(verifyVault(vault).ok, true);
});

test('updateRecipient refuses what issuing refuses, naming the field; nothing is written', async (t) => {
  const { vault } = await setup(t);
  const { record } = await issueCertificate(vault, alice);
  await issueCertificate(vault, { ...alice, sans: [...alice.sans, { type: 'email', value: 'alice2@corp.test' }] });
  const id = record.recipient!.id;
  const before = counts(vault.db);
  const cases: [Parameters<typeof updateRecipient>[2], string, string][] = [
    [{ sid: 'S-1-5-21-1-x' }, 'sid', 'sid: "S-1-5-21-1-x" is not a Windows SID: sub-authority 3 "x" is not a decimal 32-bit unsigned number (0 to 4294967295, no leading zeros)'],
    [{ account: 'PC7$' }, 'account', 'account: "PC7$" ends in $, which names a computer account; a user certificate maps to a user account (Set-ADUser), named without $'],
    [{ account: 'a@b' }, 'account', 'account: account name "a@b" contains "@", which an account name cannot hold'],
    [{ email: 'alice' }, 'email', 'email: "alice" is not an e-mail address (local-part@domain)'],
    [{ email: 'alice2@corp.test' }, 'email', 'email: recipient 2 is already person "Alice Admin" with this e-mail address'],
    [{ phone: '1\n2' }, 'phone', 'phone: contains a control character'],
    [{ description: 'x'.repeat(501) }, 'description', 'description: 501 characters long; at most 500'],
    [{ sid: SID, sidFromCertificate: true }, 'sid', "sid-from-certificate: give a SID or take the certificate's, not both"],
    [{ sidFromCertificate: true }, 'sid', 'sid-from-certificate: the newest certificate of recipient 1 (Alice Admin) carries no SID extension'],
  ];
  for (const [changes, field, message] of cases) {
    assert.throws(() => updateRecipient(vault, id, changes), (e: Error & { code?: string; details?: unknown }) => {
      assert.equal(e.code, 'INVALID_INPUT');
      assert.equal(e.message, message);
      assert.deepEqual(e.details, { field });
      return true;
    });
  }
  assert.throws(() => updateRecipient(vault, 99, { phone: '1' }), certErr('INVALID_INPUT', 'recipient: no recipient 99'));
  assert.deepEqual(counts(vault.db), before);
});

test('a recipient changed outside CertDesk is refused by the view and the update (VAULT_TAMPERED), nothing written', async (t) => {
  const { vault } = await setup(t);
  await issueCertificate(vault, { ...alice, recipient: { account: 'aadmin' } });
  vault.db.prepare('UPDATE recipients SET account = ? WHERE id = 1').run('administrator');
  const before = counts(vault.db);
  const tampered = certErr('VAULT_TAMPERED', 'recipient 1 (Alice Admin) in table recipients does not match its MAC');
  assert.throws(() => getRecipientView(vault, 1), tampered);
  assert.throws(() => updateRecipient(vault, 1, { account: 'aadmin' }), tampered);
  assert.throws(() => updateRecipient(vault, 1, { phone: '1' }), tampered);
  assert.deepEqual(counts(vault.db), before);
  assert.equal(listAudit(vault.db, { action: 'recipient.update' }).length, 0);
});

test('no SID stored: the view shows the SID of the newest certificate; sidFromCertificate stores it', async (t) => {
  const { vault } = await setup(t);
  await issueCertificate(vault, { ...alice, sid: SID2 });
  const newest = await issueCertificate(vault, { ...alice, sid: SID });
  // As a recipient of a vault upgraded to schema 7: its certificates carry a SID, the recipient none.
  updateRecipient(vault, 1, { sid: null });
  const view = getRecipientView(vault, 1);
  assert.equal(view.recipient.sid, null);
  assert.deepEqual(view.sidFromCertificate, { sid: SID, certificateId: newest.record.id });
  assert.deepEqual(view.certificates.map((c) => c.id), [newest.record.id, newest.record.id - 1]);
  const stored = updateRecipient(vault, 1, { sidFromCertificate: true });
  assert.equal(stored.recipient.sid, SID);
  assert.equal(stored.sidFromCertificate, null);
  assert.deepEqual(listAudit(vault.db, { action: 'recipient.update' })[0]!.details, { name: 'Alice Admin', changes: { sid: { from: null, to: SID } } });
});

test('a per-device vpn certificate maps to the computer account: issue check, issue, ad-mapping, the directory', async (t) => {
  const { vault } = await setup(t);
  const laptop = { ca: 'Win', profile: 'vpn', name: 'LAPTOP17', sans: [{ type: 'dns' as const, value: 'laptop17.corp.test' }], keyType: 'ec-p256' as const };
  // The wizard's per-device mode sends kind 'device': the account is a computer's, so "$" is accepted and added.
  assert.deepEqual(checkIssueRequest(vault, { ...laptop, recipient: { kind: 'device', account: 'LAPTOP17$' } }).problems, []);
  const { record } = await issueCertificate(vault, { ...laptop, recipient: { kind: 'device', account: 'LAPTOP17' } });
  assert.deepEqual([record.recipient?.kind, record.recipient?.account], ['device', 'LAPTOP17$']);
  const [subject] = selectForAdMapping(vault, { certificates: [String(record.id)] });
  assert.deepEqual([subject!.kind, subject!.account], ['device', 'LAPTOP17$']);
  assert.equal(getRecipientView(vault, record.recipient!.id).accountKind, 'device');
  assert.equal(updateRecipient(vault, record.recipient!.id, { account: 'laptop18' }).recipient.account, 'laptop18$');
  // The same profile for a person stays a user account.
  assert.deepEqual(checkIssueRequest(vault, { ...laptop, name: 'Bob', recipient: { kind: 'person', account: 'BOB$' } }).problems.map((p) => p.field), ['account']);
});
