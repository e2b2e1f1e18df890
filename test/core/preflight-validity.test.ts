// Preflight's "validity inside the issuer's" (RFC 5280 4.1.2.5) through the real issue, sign-csr, renew and wizard
// paths: days past the CA's end are cut to it with a warning (recorded in the audit entry); an expired CA is an
// error finding in the wizard and is refused when signing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PreflightFinding } from '../../shared/domain.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { checkIssueRequest } from '../../electron/core/issuance/issue-check.js';
import { issueCertificate, signCsr } from '../../electron/core/issuance/issue.js';
import { renewCertificate } from '../../electron/core/lifecycle/renew.js';
import { SOURCES } from '../../electron/core/preflight/sources.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { libraryCsr } from '../helpers/csr.js';
import { certErr, counts, DAY, newVault, type TestClock } from '../helpers/engine-vault.js';

const ISSUER = 'CN=Short CA,O=Example,C=DE';
const user = (name: string, days: number) => ({ ca: 'Short', profile: 'user', name, sans: [{ type: 'email' as const, value: `${name.toLowerCase()}@example.com` }], keyType: 'ec-p256' as const, days });

/** The warning for `days` asked at the clock's time, under a CA ending `caEnd`, most `most` days. */
function cutWarning(clock: TestClock, caEnd: string, days: number, most: number): PreflightFinding {
  return {
    target: 'rfc5280',
    field: 'days',
    severity: 'warning',
    message: `the certificate would be cut to end ${caEnd} with its issuer ${ISSUER}, not ${clock.iso(days * DAY)} as the ${days} days asked; choose at most ${most} days, or renew the CA first`,
    source: SOURCES.rfc5280Validity,
  };
}

test('days past the issuing CA\'s end: the certificate is cut to it, and the rfc5280 warning is shown and audited (issue, sign-csr, renew)', async (t) => {
  const { vault, clock } = await newVault(t);
  const ca = await createCa(vault, { name: 'Short', subject: ISSUER, keyType: 'ec-p256', days: 100 });
  const caEnd = ca.notAfter;
  assert.equal(caEnd, clock.iso(100 * DAY));
  clock.advance(DAY);

  // The wizard: no problem any more, the warning beside the days, the end as it will be signed.
  const check = checkIssueRequest(vault, user('Alice', 365));
  assert.deepEqual(check.problems, []);
  assert.deepEqual(check.findings, [cutWarning(clock, caEnd, 365, 99)]);
  assert.equal(check.notAfter, caEnd);

  const issued = await issueCertificate(vault, user('Alice', 365));
  assert.equal(issued.record.notAfter, caEnd);
  assert.deepEqual(issued.findings, [cutWarning(clock, caEnd, 365, 99)]);
  const entry = listAudit(vault.db, { action: 'cert.issue' })[0]!;
  assert.equal(entry.details.notAfter, caEnd);
  assert.deepEqual(entry.details.findings, [cutWarning(clock, caEnd, 365, 99)]);
  assert.equal(entry.details.override, undefined, 'a warning needs no override');

  // Up to the CA's end exactly: nothing to report.
  const fits = await issueCertificate(vault, user('Bob', 99));
  assert.equal(fits.record.notAfter, clock.iso(99 * DAY));
  assert.deepEqual(fits.findings, []);

  const signed = await signCsr(vault, { ca: 'Short', profile: 'server', csr: await libraryCsr([{ CN: ['www.example.com'] }], [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'www.example.com' }])]), days: 200 });
  assert.equal(signed.record.notAfter, caEnd);
  assert.deepEqual(signed.findings, [cutWarning(clock, caEnd, 200, 99)]);
  assert.deepEqual(listAudit(vault.db, { action: 'cert.sign-csr' })[0]!.details.findings, [cutWarning(clock, caEnd, 200, 99)]);

  clock.advance(9 * DAY);
  const renewed = await renewCertificate(vault, String(fits.record.id), { days: 365 });
  assert.equal(renewed.record.notAfter, caEnd);
  assert.deepEqual(listAudit(vault.db, { action: 'cert.renew' })[0]!.details.findings, [cutWarning(clock, caEnd, 365, 90)]);
});

test('an expired issuing CA: an rfc5280 error on the wizard\'s CA field, and issuing is refused without writing anything', async (t) => {
  const { vault, clock } = await newVault(t);
  const ca = await createCa(vault, { name: 'Short', subject: ISSUER, keyType: 'ec-p256', days: 10 });
  clock.advance(11 * DAY);
  const check = checkIssueRequest(vault, user('Carol', 30));
  assert.deepEqual(check.problems, []);
  assert.deepEqual(check.findings, [
    {
      target: 'rfc5280',
      field: 'ca',
      severity: 'error',
      message: `the issuing CA ${ISSUER} expired ${ca.notAfter}: nothing it signs now is valid; renew the CA or choose another`,
      source: SOURCES.rfc5280Validity,
    },
  ]);
  const before = counts(vault.db);
  await assert.rejects(issueCertificate(vault, { ...user('Carol', 30), override: 'try anyway' }), certErr('ISSUER_NOT_VALID', 'Short'));
  assert.deepEqual(counts(vault.db), before);
});
