// A recipient's Windows SID and account name (issue 12, strong mapping): checked when given, stored with the
// recipient as part of its authenticated record, shown with the certificate, kept by renew, used by
// ad-mapping and the bundle's script, and refused (VAULT_TAMPERED) when changed outside CertDesk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { checkIssueRequest } from '../../electron/core/issuance/issue-check.js';
import { checkRecipientWindowsIds, listRecipients, recipientAccountOf } from '../../electron/core/issuance/recipients.js';
import { renewCertificate } from '../../electron/core/lifecycle/renew.js';
import { verificationLines, verifyVault } from '../../electron/core/vault/vault-verify.js';
import { selectForAdMapping } from '../../electron/core/windows/ad-mapping-select.js';
import { certErr, counts } from '../helpers/engine-vault.js';
import { alice, SID, SID2, windowsVault } from '../helpers/windows-recipients.js';

const setup = windowsVault;

test('checkRecipientWindowsIds: canonical SID and trimmed account; each bad value named with its field and rule', () => {
  assert.deepEqual(checkRecipientWindowsIds({ sid: ' s-1-5-21-3623811015-3361044348-30300820-1013 ', account: ' asmith ' }, 'person'), { sid: SID, account: 'asmith' });
  assert.deepEqual(checkRecipientWindowsIds({ sid: '  ', account: '' }, 'person'), { sid: null, account: null });
  assert.deepEqual(checkRecipientWindowsIds(undefined, 'device'), { sid: null, account: null });
  assert.deepEqual(checkRecipientWindowsIds({ account: 'LAPTOP-0123456A$' }, 'device'), { sid: null, account: 'LAPTOP-0123456A$' });
  const cases: [string, string][] = [
    ['a@b', 'account: account name "a@b" contains "@", which an account name cannot hold'],
    ['corp\\asmith', 'account: account name "corp\\asmith" contains "\\", which an account name cannot hold'],
    ['a;b', 'account: account name "a;b" contains ";", which an account name cannot hold'],
    ['abcdefghijklmnopqrstu', 'account: account name "abcdefghijklmnopqrstu" is 21 characters long; a user account name is at most 20'],
    ['LAPTOP-0123456AB$', 'account: account name "LAPTOP-0123456AB$" is 17 characters long; a computer account name is at most 16'],
    ['. .', 'account: account name ". ." is only dots and spaces'],
  ];
  for (const [account, message] of cases) {
    assert.throws(() => checkRecipientWindowsIds({ account }, account.endsWith('$') ? 'device' : 'person'), (e: Error & { code?: string; details?: unknown }) => {
      assert.equal(e.code, 'INVALID_INPUT');
      assert.equal(e.message, message);
      assert.deepEqual(e.details, { field: 'account' });
      return true;
    });
  }
  assert.throws(() => checkRecipientWindowsIds({ sid: 'S-1-5-21-1-x' }, 'person'), certErr('INVALID_INPUT', 'recipient.sid: "S-1-5-21-1-x" is not a Windows SID: sub-authority 3 "x"'));
});

test('issue stores the SID and account with the recipient: listed, searchable, shown with the certificate, authenticated', async (t) => {
  const { vault } = await setup(t);
  const { record } = await issueCertificate(vault, { ...alice, sid: SID, recipient: { account: 'aadmin' } });
  assert.deepEqual(record.recipient, { id: 1, kind: 'person', name: 'Alice Admin', email: null, phone: null, description: null, sid: SID, account: 'aadmin' });
  assert.deepEqual(listRecipients(vault, 'aadm').map((r) => [r.name, r.sid, r.account]), [['Alice Admin', SID, 'aadmin']]);
  assert.equal(recipientAccountOf(vault, 1), 'aadmin');
  const verified = verifyVault(vault);
  assert.equal(verified.ok, true, verificationLines(verified).join('\n'));

  // The next certificate for the same recipient: a new account replaces the old; an absent one keeps it.
  await issueCertificate(vault, { ...alice, recipient: { account: 'alice.admin' } });
  assert.deepEqual(listRecipients(vault).map((r) => [r.id, r.sid, r.account]), [[1, SID, 'alice.admin']]);
  const third = await issueCertificate(vault, { ...alice, sid: SID2 });
  assert.deepEqual([third.record.recipient?.sid, third.record.recipient?.account], [SID2, 'alice.admin']);
  // A recipient SID given on its own is kept even by a profile whose certificates carry none (a server).
  const srv = await issueCertificate(vault, { ca: 'Win', profile: 'server', name: 'web01.corp.test', sans: [{ type: 'dns', value: 'web01.corp.test' }], keyType: 'ec-p256', recipient: { sid: SID, account: 'WEB01$' } });
  assert.deepEqual([srv.record.recipient?.kind, srv.record.recipient?.sid, srv.record.recipient?.account], ['device', SID, 'WEB01$']);
  assert.equal(verifyVault(vault).ok, true);
});

test('a bad account stops issuance before anything is written; the wizard check names the field', async (t) => {
  const { vault } = await setup(t);
  const before = counts(vault.db);
  await assert.rejects(issueCertificate(vault, { ...alice, recipient: { account: 'alice@corp' } }), certErr('INVALID_INPUT', 'account: account name "alice@corp" contains "@"'));
  await assert.rejects(issueCertificate(vault, { ...alice, recipient: { sid: 'S-2-5' } }), certErr('INVALID_INPUT', 'recipient.sid: "S-2-5" is not a Windows SID: revision 2'));
  assert.deepEqual(counts(vault.db), before);
  const check = checkIssueRequest(vault, { ...alice, recipient: { account: 'x'.repeat(21), sid: 'S-1-5-21-1-x' } });
  assert.deepEqual(check.problems, [
    { field: 'recipient.sid', message: 'recipient.sid: "S-1-5-21-1-x" is not a Windows SID: sub-authority 3 "x" is not a decimal 32-bit unsigned number (0 to 4294967295, no leading zeros)' },
    { field: 'account', message: `account: account name "${'x'.repeat(21)}" is 21 characters long; a user account name is at most 20` },
  ]);
});

test('renew keeps the SID and the recipient account; ad-mapping names the account unless one is given', async (t) => {
  const { vault } = await setup(t);
  const { record } = await issueCertificate(vault, { ...alice, sid: SID, recipient: { account: 'aadmin' } });
  const renewed = await renewCertificate(vault, String(record.id));
  assert.deepEqual([renewed.record.recipient?.id, renewed.record.recipient?.sid, renewed.record.recipient?.account], [1, SID, 'aadmin']);
  assert.deepEqual(
    selectForAdMapping(vault, { certificates: [String(record.id), String(renewed.record.id)] }).map((s) => [s.certificateId, s.account]),
    [
      [record.id, 'aadmin'],
      [renewed.record.id, 'aadmin'],
    ],
  );
  assert.deepEqual(selectForAdMapping(vault, { certificates: [String(record.id)], account: 'other' }).map((s) => s.account), ['other']);
});

test('a recipient SID or account changed outside CertDesk is refused with VAULT_TAMPERED naming the recipient', async (t) => {
  const { vault } = await setup(t);
  const { record } = await issueCertificate(vault, { ...alice, sid: SID, recipient: { account: 'aadmin' } });
  vault.db.prepare('UPDATE recipients SET account = ? WHERE id = 1').run('administrator');
  const tampered = certErr('VAULT_TAMPERED', 'recipient 1 (Alice Admin) in table recipients does not match its MAC');
  assert.throws(() => selectForAdMapping(vault, { certificates: [String(record.id)] }), tampered);
  assert.throws(() => recipientAccountOf(vault, 1), tampered);
  vault.db.prepare('UPDATE recipients SET account = ?, sid = ? WHERE id = 1').run('aadmin', SID2);
  assert.throws(() => recipientAccountOf(vault, 1), tampered);
  await assert.rejects(issueCertificate(vault, alice), tampered);
  assert.deepEqual(verificationLines(verifyVault(vault)).filter((l) => l.startsWith('recipients:')).length, 1);
  vault.db.prepare('UPDATE recipients SET sid = ? WHERE id = 1').run(SID);
  assert.equal(recipientAccountOf(vault, 1), 'aadmin');
});
