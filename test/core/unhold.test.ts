// Releasing a hold (RFC 5280 5.3.1 certificateHold): the certificate is valid again, the release is audited,
// the CA's revoked set stays the CRL's (count and digest), and the next CRL, read by `openssl crl -text`,
// no longer lists it while a permanent revocation stays. Only a hold can be released.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { createCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { getCaRow, resolveCertificate } from '../../electron/core/issuance/records.js';
import { generateCrl, revokeCertificates } from '../../electron/core/issuance/revocation.js';
import { releaseHold } from '../../electron/core/lifecycle/unhold.js';
import { listAudit } from '../../electron/core/vault/audit.js';
import { compareRevokedSet } from '../../electron/core/vault/revoked-sets.js';
import { verifyVault } from '../../electron/core/vault/vault-verify.js';
import { certErr, DAY, newVault } from '../helpers/engine-vault.js';
import { needTools, runOk } from '../helpers/tools.js';

async function setup(t: TestContext) {
  const { vault, dir, clock } = await newVault(t);
  const ca = await createCa(vault, { name: 'CA', subject: 'CN=Hold CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const issue = async (name: string, days?: number) => (await issueCertificate(vault, { ca: 'CA', profile: 'user', name, sans: [{ type: 'email', value: `${name.toLowerCase()}@example.com` }], keyType: 'ec-p256', days })).record;
  return { vault, dir, clock, caId: ca.id, issue };
}

/** The entries of a CRL as `openssl crl -text` prints them: serial (upper-case hex, whole bytes) to reason. */
function opensslEntries(dir: string, name: string, der: Uint8Array): { crlNumber: string; entries: Map<string, string> } {
  const file = join(dir, `${name}.crl`);
  writeFileSync(file, der);
  const text = runOk('openssl', ['crl', '-inform', 'DER', '-in', file, '-noout', '-text']).stdout;
  const entries = new Map<string, string>();
  const re = /Serial Number: ([0-9A-F]+)\s+Revocation Date: [^\n]+\n(?:\s+CRL entry extensions:\s+X509v3 CRL Reason Code:\s+([^\n]+))?/g;
  for (const m of text.matchAll(re)) entries.set(m[1]!, (m[2] ?? 'none').trim());
  return { crlNumber: /X509v3 CRL Number:\s+(\d+)/.exec(text)![1]!, entries };
}
/** A serial as openssl prints it: upper-case hex in whole bytes (a leading 0 nibble shown). */
const serialKey = (serial: string) => serial.toUpperCase().padStart(serial.length + (serial.length % 2), '0');

test('a held certificate is released: valid again, audited, off the next CRL (openssl crl -text), the revoked set still the CRL\'s', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { vault, dir, caId, issue } = await setup(t);
  const held = await issue('Hanna');
  const gone = await issue('Karl');
  revokeCertificates(vault, [String(held.id)], 'certificateHold');
  revokeCertificates(vault, [String(gone.id)], 'keyCompromise');
  const before = opensslEntries(dir, 'before', (await generateCrl(vault, 'CA')).der);
  assert.equal(before.crlNumber, '1');
  assert.deepEqual(
    before.entries,
    new Map([
      [serialKey(held.serial), 'Certificate Hold'],
      [serialKey(gone.serial), 'Key Compromise'],
    ]),
  );

  const heldAt = resolveCertificate(vault, String(held.id)).revoked_at;
  assert.ok(heldAt);
  const released = releaseHold(vault, `id:${held.id}`);
  assert.deepEqual([released.id, released.status, released.revokedAt, released.revocationReason], [held.id, 'valid', null, null]);
  const row = resolveCertificate(vault, String(held.id));
  assert.deepEqual([row.status, row.revoked_at, row.revocation_reason], ['valid', null, null]);
  const [entry] = listAudit(vault.db, { action: 'cert.unhold' });
  assert.equal(entry!.target, `cert:${held.id}`);
  assert.deepEqual(entry!.details, { holder: 'Hanna', serial: held.serial, heldSince: heldAt });
  // The CA's record holds exactly the remaining revocation: count and digest as its certificates' rows give them.
  const ca = getCaRow(vault, caId)!;
  assert.equal(ca.revoked_count, 1);
  assert.equal(compareRevokedSet(vault.records, ca).problem, null);
  // The whole vault still verifies: the audit chain with the release in it, every record's MAC.
  const verified = verifyVault(vault);
  assert.deepEqual([verified.ok, verified.records.problems], [true, []]);

  const after = opensslEntries(dir, 'after', (await generateCrl(vault, 'CA')).der);
  assert.equal(after.crlNumber, '2');
  assert.deepEqual(after.entries, new Map([[serialKey(gone.serial), 'Key Compromise']]));

  // Valid again, it can be revoked again (for good this time), and the set still matches the CRL.
  revokeCertificates(vault, [String(held.id)], 'superseded');
  const again = opensslEntries(dir, 'again', (await generateCrl(vault, 'CA')).der);
  assert.deepEqual(
    again.entries,
    new Map([
      [serialKey(gone.serial), 'Key Compromise'],
      [serialKey(held.serial), 'Superseded'],
    ]),
  );
});

test('only a hold can be released: a valid certificate and a permanent revocation are refused, nothing changes', async (t) => {
  const { vault, caId, issue } = await setup(t);
  const valid = await issue('Vera');
  const revoked = await issue('Rolf');
  revokeCertificates(vault, [String(revoked.id)], 'keyCompromise');
  const at = resolveCertificate(vault, String(revoked.id)).revoked_at;
  const audits = listAudit(vault.db).length;
  assert.throws(() => releaseHold(vault, String(valid.id)), certErr('INVALID_INPUT', `certificate ${valid.id} (Vera) is not on hold: it is not revoked, so there is nothing to release`));
  assert.throws(
    () => releaseHold(vault, String(revoked.id)),
    certErr('INVALID_INPUT', `certificate ${revoked.id} (Rolf) is not on hold: it was revoked on ${at} for keyCompromise, which is permanent (only certificateHold can be released, RFC 5280 5.3.1)`),
  );
  assert.throws(() => releaseHold(vault, '999'), certErr('CERT_NOT_FOUND'));
  assert.equal(resolveCertificate(vault, String(revoked.id)).status, 'revoked');
  assert.equal(listAudit(vault.db).length, audits, 'no audit entry for a refused release');
  assert.equal(getCaRow(vault, caId)!.revoked_count, 1);
});

test('a certificate whose end date passed while held is released as expired, and leaves the CRL', async (t) => {
  const { vault, clock, caId, issue } = await setup(t);
  const short = await issue('Kurt', 2);
  revokeCertificates(vault, [String(short.id)], 'certificateHold');
  clock.advance(3 * DAY);
  const released = releaseHold(vault, String(short.id));
  assert.deepEqual([released.status, released.revocationReason], ['expired', null]);
  assert.equal(getCaRow(vault, caId)!.revoked_count, 0);
  assert.equal((await generateCrl(vault, 'CA')).entries, 0);
});

test("an end entity's certificate is not revoked for caCompromise or aaCompromise (RFC 5280 5.3.1); a CA's is", async (t) => {
  const { vault, caId, issue } = await setup(t);
  const eve = await issue('Eve');
  const audits = listAudit(vault.db).length;
  for (const reason of ['caCompromise', 'aaCompromise'] as const) {
    assert.throws(
      () => revokeCertificates(vault, [String(eve.id)], reason),
      certErr('INVALID_INPUT', `reason: ${reason} is for ${reason === 'caCompromise' ? "a CA's key" : "an attribute authority's key"}, and certificate ${eve.id} (Eve) is an end entity's: use keyCompromise`),
    );
  }
  assert.equal(resolveCertificate(vault, String(eve.id)).status, 'valid');
  assert.equal(listAudit(vault.db).length, audits, 'nothing audited for a refused revocation');
  assert.equal(getCaRow(vault, caId)!.revoked_count, 0);
  // An intermediate's certificate may be revoked for caCompromise (as ca revoke does: a CA is revoked with its CA).
  const sub = await createCa(vault, { name: 'Sub', issuer: 'CA', subject: 'CN=Hold Sub', keyType: 'ec-p256', days: 365 });
  assert.equal(revokeCertificates(vault, [String(sub.certificateId)], 'caCompromise', { caCertificates: true })[0]!.revocationReason, 'caCompromise');
});
