// The recipient's account name from the command line (issue 12, strong mapping): `issue --sid --account`
// stores both with the recipient, `ad-mapping` and the bundle's ad-mapping.ps1 name that account, `renew`
// keeps it, a bad account is refused with its rule, and a CSV batch takes an `account` column.
// The commands run in this process (inProcessSession): the file checks what they print and write, not the process.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inProcessSession } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const SID = 'S-1-5-21-3623811015-3361044348-30300820-1013';

interface Mapping {
  certificateId: number;
  holder: string;
  account: string | null;
  sid: string | null;
}

async function setup(t: import('node:test').TestContext) {
  const dir = tempDir(t);
  const s = inProcessSession(dir, 'recipient account passphrase');
  await s.init();
  await s.ok('ca', 'create', '--name', 'Win', '--subject', 'CN=Win Issuing CA,O=Example Corp,C=DE', '--key', 'ec-p256');
  return { dir, ...s };
}

test('issue --sid --account: the recipient keeps both; ad-mapping, the bundle script and renew use the account', async (t) => {
  const { dir, ok } = await setup(t);
  const stick = join(dir, 'stick');
  mkdirSync(stick);
  const issued = (await ok('issue', '--ca', 'Win', '--profile', 'user', '--name', 'Alice Admin', '--upn', 'alice@corp.test', '--sid', SID, '--account', 'aadmin', '--out', stick, '--json')).json!;
  const recipient = (issued.certificate as { recipient: { sid: string; account: string } }).recipient;
  assert.deepEqual([recipient.sid, recipient.account], [SID, 'aadmin']);
  const ps1 = readFileSync(join((issued.bundle as { folder: string }).folder, 'ad-mapping.ps1'), 'utf8');
  assert.match(ps1, /\nSet-ADUser -Identity 'aadmin' -Add @\{altSecurityIdentities='X509:<I>C=DE,O=Example Corp,CN=Win Issuing CA<SR>[0-9A-F]+'\}\n/);

  const ps = (await ok('ad-mapping', String(issued.id), '--format', 'powershell')).stdout;
  assert.match(ps, /\nSet-ADUser -Identity 'aadmin' -Add @\{altSecurityIdentities='X509:<I>[^']+'\}\n/);
  assert.match((await ok('ad-mapping', String(issued.id), '--account', 'alice2', '--format', 'powershell')).stdout, /\nSet-ADUser -Identity 'alice2' -Add /);
  const shown = (await ok('show', String(issued.id))).stdout;
  assert.match(shown, new RegExp(`Recipient\\s+Alice Admin \\(person, account aadmin, SID ${SID}\\)`));

  const renewed = (await ok('renew', String(issued.id), '--json')).json!;
  const [{ id: newId }] = renewed.renewed as [{ id: number }];
  const [m] = JSON.parse((await ok('ad-mapping', String(newId), '--format', 'json')).stdout) as Mapping[];
  assert.deepEqual([m!.certificateId, m!.account, m!.sid], [newId, 'aadmin', SID]);
});

test('issue --account with a bad account name: exit 1, the rule named, nothing issued', async (t) => {
  const { cd, ok } = await setup(t);
  const cases: [string, RegExp][] = [
    ['a@b', /account: account name "a@b" contains "@", which an account name cannot hold/],
    ['abcdefghijklmnopqrstu', /account: account name "abcdefghijklmnopqrstu" is 21 characters long; a user account name is at most 20/],
  ];
  for (const [account, message] of cases) {
    const r = await cd('issue', '--ca', 'Win', '--profile', 'user', '--name', 'Bob', '--upn', 'bob@corp.test', '--account', account);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, message);
  }
  const missing = await cd('issue', '--ca', 'Win', '--profile', 'user', '--name', 'Bob', '--upn', 'bob@corp.test', '--account');
  assert.equal(missing.status, 2, missing.stderr);
  assert.deepEqual(((await ok('list', '--json')).json!.certificates as unknown[]).length, 0);
});

test('a CSV batch with an account column: a bad account is reported on its line and column; the good file stores each account', async (t) => {
  const { dir, cd, ok } = await setup(t);
  mkdirSync(join(dir, 'stick'));
  const csv = (second: string) => `name,upn,sid,account\nAnna,anna@corp.test,${SID},anna\nBen,ben@corp.test,,${second}\nCleo,cleo@corp.test,,\n`;
  writeFileSync(join(dir, 'staff.csv'), csv('b[en]'));
  const bad = await cd('issue-batch', '--ca', 'Win', '--profile', 'user', '--csv', 'staff.csv', '--out', 'stick', '--passwords', 'p.csv', '--key', 'ec-p256', '--json');
  assert.equal(bad.status, 1);
  assert.deepEqual((bad.json!.details as { problems: unknown[] }).problems, [{ line: 3, column: 'account', reason: 'account name "b[en]" contains "[", which an account name cannot hold' }]);

  writeFileSync(join(dir, 'staff.csv'), csv('ben'));
  const run = (await ok('issue-batch', '--ca', 'Win', '--profile', 'user', '--csv', 'staff.csv', '--out', 'stick', '--passwords', 'p.csv', '--key', 'ec-p256', '--json')).json!;
  const batchId = (run.batch as { batchId: string }).batchId;
  const mapped = JSON.parse((await ok('ad-mapping', '--batch', batchId, '--format', 'json')).stdout) as Mapping[];
  assert.deepEqual(mapped.map((m) => [m.holder, m.account, m.sid]), [
    ['Anna', 'anna', SID],
    ['Ben', 'ben', null],
    ['Cleo', null, null],
  ]);
});
