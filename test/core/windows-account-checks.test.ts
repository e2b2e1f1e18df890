// The account name stored with a recipient is the one the mapping script will use (issue 12 review): checked at
// issue, in the wizard's check and in a batch against the account the certificate maps to, so a user's account
// cannot end in $ (ad-mapping refused it afterwards and failed for a whole --ca run), a computer's gets its $ once
// (not a warning on every ad-mapping run), and a name with an invisible or line-ending character is refused before
// anything is committed (it used to commit the certificate and then fail writing ad-mapping.ps1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUILTIN_PROFILES } from '../../electron/core/issuance/builtin-profiles.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { checkIssueRequest } from '../../electron/core/issuance/issue-check.js';
import { validateBatch } from '../../electron/core/batch/validate.js';
import { checkAccountName } from '../../electron/core/windows/sid.js';
import { selectForAdMapping } from '../../electron/core/windows/ad-mapping-select.js';
import { adMappingReport } from '../../electron/core/windows/ad-mapping-format.js';
import { certErr, counts, newVault } from '../helpers/engine-vault.js';

async function setup(t: import('node:test').TestContext) {
  const v = await newVault(t);
  await createCa(v.vault, { name: 'Win', subject: 'CN=Win CA,O=Example,C=DE', keyType: 'ec-p256', days: 3650 });
  return v;
}

const user = (account: string) => ({ ca: 'Win', profile: 'user', name: 'Bob User', sans: [{ type: 'upn' as const, value: 'bob@corp.test' }], keyType: 'ec-p256' as const, recipient: { account } });
const device = (account: string) => ({ ca: 'Win', profile: 'device', name: 'pc-7', sans: [{ type: 'dns' as const, value: 'pc-7.corp.test' }], keyType: 'ec-p256' as const, recipient: { account } });
const USER_DOLLAR = 'account: "bob$" ends in $, which names a computer account; a user certificate maps to a user account (Set-ADUser), named without $';

test('issue: a user certificate\'s account ending in $ is refused before anything is written; the wizard check names the field', async (t) => {
  const { vault } = await setup(t);
  const before = counts(vault.db);
  await assert.rejects(issueCertificate(vault, user('bob$')), certErr('INVALID_INPUT', USER_DOLLAR));
  assert.deepEqual(counts(vault.db), before);
  assert.deepEqual(checkIssueRequest(vault, user('bob$')).problems, [{ field: 'account', message: USER_DOLLAR }]);
  assert.deepEqual(checkIssueRequest(vault, user('bob')).problems, []);
});

test('issue: a computer account is stored with its $, so ad-mapping (all of a CA too) names it without a warning', async (t) => {
  const { vault } = await setup(t);
  const pc = await issueCertificate(vault, device('pc-7'));
  assert.equal(pc.record.recipient?.account, 'pc-7$');
  const bob = await issueCertificate(vault, user('bob'));
  const subjects = selectForAdMapping(vault, { ca: 'Win' });
  assert.deepEqual(
    subjects.map((s) => [s.certificateId, s.kind, s.account, s.notes]).sort((a, b) => Number(a[0]) - Number(b[0])),
    [
      [pc.record.id, 'device', 'pc-7$', []],
      [bob.record.id, 'person', 'bob', []],
    ],
  );
  const report = adMappingReport(subjects, 'powershell');
  assert.deepEqual(report.warnings, []);
  assert.match(report.output, /^Set-ADComputer -Identity 'pc-7\$' -Add @\{altSecurityIdentities='X509:<I>C=DE,O=Example,CN=Win CA<SR>[0-9A-F]+'\}$/m);
});

test('batch: the account column is checked against the profile\'s account kind, a computer\'s given its $', () => {
  const profile = (id: string) => BUILTIN_PROFILES.find((p) => p.id === id)!;
  const ctx = (id: string) => ({ profile: profile(id), caName: 'Win', caNotAfter: new Date('2035-01-01T00:00:00Z'), now: new Date('2026-01-01T00:00:00Z') });
  const users = validateBatch([{ line: 2, cells: { name: 'Hank', upn: 'hank@corp.test', account: 'hank$' } }], ctx('user'));
  assert.deepEqual(users.rows, []);
  assert.deepEqual(users.problems, [{ line: 2, column: 'account', reason: '"hank$" ends in $, which names a computer account; a user certificate maps to a user account (Set-ADUser), named without $' }]);
  const devices = validateBatch([{ line: 2, cells: { name: 'pc-8', dns: 'pc-8.corp.test', account: 'pc-8' } }], ctx('device'));
  assert.deepEqual(devices.problems, []);
  assert.deepEqual(devices.rows.map((r) => r.account), ['pc-8$']);
});

test('an account name with a line separator, a bidirectional override or a zero-width character is refused, named by its code', async (t) => {
  for (const [c, code] of [
    ['\u2028', '\\u2028'],
    ['\u2029', '\\u2029'],
    ['\u202e', '\\u202e'],
    ['\u200b', '\\u200b'],
    ['\u0085', '\\u0085'],
  ] as const) {
    assert.throws(() => checkAccountName(`ev${c}e`), certErr('INVALID_INPUT', `account: account name "ev${c}e" contains "${code}", which an account name cannot hold`), code);
  }
  // Before: the certificate was committed, then its bundle's ad-mapping.ps1 could not be written (a pending delivery).
  const { vault } = await setup(t);
  const before = counts(vault.db);
  await assert.rejects(issueCertificate(vault, user('b\u2028ob')), certErr('INVALID_INPUT', 'account: account name "b\u2028ob" contains "\\u2028"'));
  assert.deepEqual(counts(vault.db), before);
});
