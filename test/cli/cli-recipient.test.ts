// `certdesk recipient list | show | set` (issue 12, the recipients directory): a round trip through the built CLI,
// the SID found in the newest certificate shown "from certificate" and stored by --sid-from-certificate, and the
// exact errors (exit 1 for a refused value, exit 2 for a usage error).
// The commands run in this process (inProcessSession): the file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';

async function setup(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const s = inProcessSession(dir, 'recipient directory passphrase');
  await s.init();
  await s.ok('ca', 'create', '--name', 'Win', '--subject', 'CN=Win Issuing CA,O=Example Corp,C=DE', '--key', 'ec-p256');
  return { dir, ...s };
}

test('recipient list, show, set: search, edit SID and account, clear with an empty value', { timeout: 120_000 }, async (t) => {
  const { ok } = await setup(t);
  const issued = (await ok('issue', '--ca', 'Win', '--profile', 'user', '--name', 'Alice Admin', '--upn', 'alice@corp.test', '--key', 'ec-p256', '--out', 'alice.pem', '--json')).json!;
  await ok('issue', '--ca', 'Win', '--profile', 'server', '--name', 'web01.corp.test', '--dns', 'web01.corp.test', '--key', 'ec-p256', '--out', 'web.pem');
  const certId = issued.id as number;

  assert.equal((await ok('recipient', 'list', '--search', 'alice')).stdout, 'ID  KIND    NAME         E-MAIL  ACCOUNT  SID\n1   person  Alice Admin  -       -        -\n');
  assert.equal((await ok('recipient', 'list', '--search', 'nobody')).stdout, 'No recipients match.\n');
  assert.deepEqual(((await ok('recipient', 'list', '--json')).json!.recipients as { id: number }[]).map((r) => r.id), [2, 1]);

  const set = (await ok('recipient', 'set', '1', '--sid', SID, '--account', 'aadmin', '--phone', '+49 30 1234', '--json')).json!;
  assert.deepEqual(set.recipient, { id: 1, kind: 'person', name: 'Alice Admin', email: null, phone: '+49 30 1234', description: null, sid: SID, account: 'aadmin' });
  const shown = (await ok('recipient', 'show', '1')).stdout;
  assert.match(shown, /^ID           1\nKind         person \(user account\)\nName         Alice Admin\nE-mail       -\nPhone        \+49 30 1234\nDescription  -\nSID          S-1-5-21-3623811015-3361044348-30300820-1013\nAccount      aadmin\n\nCertificates:\nID  HOLDER/);
  assert.match(shown, new RegExp(`\\n${certId} +Alice Admin `));
  // A server's recipient is a device: its account gets the computer's $.
  assert.equal(((await ok('recipient', 'set', '2', '--account', 'WEB01', '--json')).json!.recipient as { account: string }).account, 'WEB01$');
  assert.match((await ok('recipient', 'show', '2')).stdout, /\nKind         device \(computer account\)\n/);

  const cleared = (await ok('recipient', 'set', '1', '--sid', '', '--account', '', '--json')).json!.recipient as { sid: null; account: null };
  assert.deepEqual([cleared.sid, cleared.account], [null, null]);
  const audit = (await ok('audit', 'list', '--action', 'recipient.update', '--json')).json!;
  assert.equal((audit.entries as unknown[]).length, 3);
});

test('recipient show: a SID only the newest certificate carries is shown "from certificate"; set --sid-from-certificate stores it', { timeout: 120_000 }, async (t) => {
  const { ok, cd } = await setup(t);
  const issued = (await ok('issue', '--ca', 'Win', '--profile', 'user', '--name', 'Bob', '--upn', 'bob@corp.test', '--sid', SID, '--key', 'ec-p256', '--out', 'bob.pem', '--json')).json!;
  // As after the schema-7 upgrade: the certificate carries the SID, the recipient has none.
  await ok('recipient', 'set', '1', '--sid', '');
  assert.match((await ok('recipient', 'show', '1')).stdout, new RegExp(`\\nSID          ${SID} \\(from certificate ${issued.id as number}; not stored: recipient set 1 --sid-from-certificate\\)\\n`));
  const json = (await ok('recipient', 'show', '1', '--json')).json!;
  assert.deepEqual([(json.recipient as { sid: null }).sid, json.sidFromCertificate], [null, { sid: SID, certificateId: issued.id }]);
  assert.equal(((await ok('recipient', 'set', '1', '--sid-from-certificate', '--json')).json!.recipient as { sid: string }).sid, SID);
  assert.match((await ok('recipient', 'show', '1')).stdout, new RegExp(`\\nSID          ${SID}\\n`));

  // Usage errors: exit 2 and what is wrong.
  const usage: [string[], string][] = [
    [['recipient', 'set', '1', '--sid', SID, '--sid-from-certificate'], 'certdesk: give --sid or --sid-from-certificate, not both\n'],
    [['recipient', 'set', '1'], 'certdesk: recipient set: nothing to change (give --sid, --sid-from-certificate, --account, --email, --phone or --description)\n'],
    [['recipient', 'show', 'x1'], 'certdesk: ID is a recipient id (a whole number from 1), got "x1"\n'],
  ];
  for (const [args, stderr] of usage) {
    const r = await cd(...args);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, stderr + 'Run "certdesk --help" for usage.\n');
  }
  // Refused values: exit 1, the field and the rule.
  const refused: [string[], string][] = [
    [['recipient', 'set', '1', '--sid', 'S-1-5-21-1-x'], 'certdesk: error: sid: "S-1-5-21-1-x" is not a Windows SID: sub-authority 3 "x" is not a decimal 32-bit unsigned number (0 to 4294967295, no leading zeros)\n'],
    [['recipient', 'set', '1', '--account', 'BOB$'], 'certdesk: error: account: "BOB$" ends in $, which names a computer account; a user certificate maps to a user account (Set-ADUser), named without $\n'],
    [['recipient', 'set', '1', '--email', 'bob'], 'certdesk: error: email: "bob" is not an e-mail address (local-part@domain)\n'],
    [['recipient', 'show', '7'], 'certdesk: error: recipient: no recipient 7\n'],
  ];
  for (const [args, stderr] of refused) {
    const r = await cd(...args);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stderr, stderr);
  }
  assert.equal(((await ok('recipient', 'show', '1', '--json')).json!.recipient as { sid: string }).sid, SID);
});
