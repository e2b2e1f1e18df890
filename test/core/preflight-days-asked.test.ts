// The rfc5280 "cut to the CA's end" warning names the days the officer asked for (issue 12 review): issue and
// sign-csr read the clock twice, once for the validity and once for preflight, so on a real clock `--days 60` was
// reported as "the 59 days asked". Here every read of the clock moves it on by a millisecond, as a real one does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate, signCsr } from '../../electron/core/issuance/issue.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { libraryCsr } from '../helpers/csr.js';
import { newVault, TestClock } from '../helpers/engine-vault.js';

/** A TestClock whose every reading is 1 ms after the one before. */
class TickingClock extends TestClock {
  override readonly now = (): Date => {
    this.advance(1);
    return new Date(this.iso());
  };
}

const daysMessage = (findings: { target: string; field: string; message: string }[]) =>
  findings.filter((f) => f.target === 'rfc5280' && f.field === 'days').map((f) => /as the (\d+) days asked/.exec(f.message)?.[1]);

test('the cut-to-the-CA warning names the days asked, on a clock that moves between readings (issue, sign-csr)', async (t) => {
  const { vault } = await newVault(t, { clock: new TickingClock() });
  await createCa(vault, { name: 'Short', subject: 'CN=Short CA,O=Example,C=DE', keyType: 'ec-p256', days: 30 });
  const issued = await issueCertificate(vault, { ca: 'Short', profile: 'user', name: 'Kim', sans: [{ type: 'email', value: 'kim@example.com' }], keyType: 'ec-p256', days: 60 });
  assert.deepEqual(daysMessage(issued.findings), ['60']);
  const csr = await libraryCsr([{ CN: ['lee.example.com'] }], [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'lee.example.com' }])]);
  const signed = await signCsr(vault, { ca: 'Short', profile: 'server', csr, days: 45 });
  assert.deepEqual(daysMessage(signed.findings), ['45']);
});
