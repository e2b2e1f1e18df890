// Issue 14 part A, the renderer's stores against the real handler table: the details panel re-renders from the
// answer of the action it performed (renew with "revoke the old one", revoke, put on hold, release the hold);
// the revoke dialog's reasons fit the certificate's kind; empty auto-lock is a field error, not "never"; the CSR
// screen shows what the profile leaves out before signing; a weak vault passphrase is refused with the reason.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { certificateActions } from '../../shared/cert-actions.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { setBridge } from '../../renderer/src/state/api.js';
import { autoLockWarning, parseAutoLock, saveAutoLock } from '../../renderer/src/state/auto-lock.js';
import { useCertDetails } from '../../renderer/src/state/cert-details.js';
import { useCsrSign } from '../../renderer/src/state/csr-sign.js';
import { useRenew } from '../../renderer/src/state/renew.js';
import { reasonsFor, revocationConsequence } from '../../renderer/src/state/revoke-reasons.js';
import { useSession } from '../../renderer/src/state/session.js';
import { libraryCsr } from '../helpers/csr.js';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

async function app(t: TestContext) {
  const svc = newService(t);
  setBridge(svc.api);
  t.after(() => setBridge(null));
  await useSession.getState().refresh();
  assert.equal(await useSession.getState().create('correct horse battery staple'), true, useSession.getState().error ?? '');
  const ca = await call(svc.api, 'ca.create', { name: 'CA', subject: 'CN=Panel CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  const issue = async (name: string) =>
    (await call(svc.api, 'issue.run', { mode: 'per-user', profile: 'user', ca: ca.id, recipient: { name }, sans: [{ type: 'email', value: `${name.toLowerCase()}@example.com` }], delivery: { folder: usb, encryption: 'modern' } })).certificate;
  return { svc, ca, usb, issue };
}

const actionsOf = () => certificateActions(useCertDetails.getState().data!.certificate);

test('details panel: after Renew with "revoke the old one" it shows the old certificate revoked, Renew and Revoke off, from the renew answer', { timeout: 120_000 }, async (t) => {
  const { svc, usb, issue } = await app(t);
  const old = await issue('Olga');
  const panel = useCertDetails.getState();
  await panel.load(old.id);
  assert.deepEqual(actionsOf(), { export: true, renew: true, revoke: true, releaseHold: false });

  await useRenew.getState().open(old.id);
  const answer = await useRenew.getState().renew({ folder: usb, encryption: 'modern' }, true);
  assert.ok(answer, useRenew.getState().error ?? '');
  assert.equal(answer.renewed.id, old.id);
  assert.deepEqual([answer.renewed.status, answer.renewed.supersededBy], ['revoked', answer.certificate.id]);

  const calls: string[] = [];
  const inner = svc.api as unknown as Record<string, (req: unknown) => Promise<unknown>>;
  setBridge(new Proxy(inner, { get: (target, channel: string) => (req: unknown) => (calls.push(channel), target[channel]!(req)) }) as unknown as typeof svc.api);
  useCertDetails.getState().renewed(answer);
  const shown = useCertDetails.getState();
  assert.deepEqual(calls, [], 'the panel re-renders from the answer, without asking main again');
  assert.deepEqual([shown.data!.certificate.status, shown.data!.exportable], ['revoked', false]);
  assert.deepEqual(actionsOf(), { export: false, renew: false, revoke: false, releaseHold: false });
  assert.equal(shown.note, `Renewed as certificate ${answer.certificate.id}; this one is revoked.`);
  // What main says when asked: the same certificate.
  setBridge(svc.api);
  assert.deepEqual((await call(svc.api, 'cert.get', { id: old.id })).certificate, shown.data!.certificate);
});

test('details panel: put on hold, then Release hold, each shown from its answer; a second release is refused in plain words', { timeout: 120_000 }, async (t) => {
  const { issue } = await app(t);
  const c = await issue('Hilde');
  await useCertDetails.getState().load(c.id);
  assert.equal(await useCertDetails.getState().revoke('certificateHold'), true, useCertDetails.getState().actionError ?? '');
  let s = useCertDetails.getState();
  assert.deepEqual([s.data!.certificate.status, s.data!.certificate.revocationReason], ['revoked', 'certificateHold']);
  assert.deepEqual(actionsOf(), { export: false, renew: false, revoke: false, releaseHold: true });
  assert.equal(s.note, 'Put on hold. Publish new CRLs so servers learn of it; “Release hold” makes it valid again.');

  assert.equal(await useCertDetails.getState().releaseHold(), true, useCertDetails.getState().actionError ?? '');
  s = useCertDetails.getState();
  assert.deepEqual([s.data!.certificate.status, s.data!.certificate.revocationReason, s.data!.exportable], ['valid', null, true]);
  assert.deepEqual(actionsOf(), { export: true, renew: true, revoke: true, releaseHold: false });
  assert.equal(s.note, 'Released from hold: valid again. Publish new CRLs so it leaves the list.');

  assert.equal(await useCertDetails.getState().releaseHold(), false);
  assert.equal(useCertDetails.getState().actionError, `certificate ${c.id} (Hilde) is not on hold: it is not revoked, so there is nothing to release`);

  assert.equal(await useCertDetails.getState().revoke('keyCompromise'), true);
  assert.equal(useCertDetails.getState().note, 'Revoked. Publish new CRLs so servers learn of it.');
  assert.deepEqual(actionsOf(), { export: false, renew: false, revoke: false, releaseHold: false }, 'a permanent revocation offers no release');
});

test('revoke dialog: reasons fit the kind (RFC 5280 5.3.1), in plain words with the RFC term; permanent except on hold', () => {
  assert.deepEqual(
    reasonsFor('end-entity').map((r) => r.label),
    [
      'Key compromised (keyCompromise)',
      'Replaced by a new certificate (superseded)',
      'Holder left or changed role (affiliationChanged)',
      'No longer needed (cessationOfOperation)',
      'Rights withdrawn (privilegeWithdrawn)',
      'On hold: can be released (certificateHold)',
      'No reason given (unspecified)',
    ],
  );
  const ca = reasonsFor('ca').map((r) => r.value);
  assert.deepEqual(ca, ['caCompromise', 'superseded', 'affiliationChanged', 'cessationOfOperation', 'privilegeWithdrawn', 'certificateHold', 'unspecified']);
  assert.equal(reasonsFor('ca')[0]!.label, 'CA key compromised (cACompromise)');
  for (const kind of ['ca', 'end-entity'] as const) assert.ok(!reasonsFor(kind).some((r) => r.value === 'aaCompromise'), `${kind}: aaCompromise is for attribute authorities`);
  assert.match(revocationConsequence('keyCompromise'), /^Revocation is permanent: the certificate can never be made valid again\./);
  assert.match(revocationConsequence('certificateHold'), /^On hold: .*until the hold is released/);
});

test('auto-lock: empty is a field error and changes nothing; 0 is "never" with a warning; out of range in plain words', { timeout: 120_000 }, async (t) => {
  const { svc } = await app(t);
  assert.deepEqual(await saveAutoLock('15'), { saved: 'The vault locks after 15 minutes without use.' });
  assert.deepEqual(parseAutoLock(''), { problem: 'Enter minutes, or 0 for never.' });
  assert.deepEqual(await saveAutoLock('  '), { problem: 'Enter minutes, or 0 for never.' });
  assert.equal((await call(svc.api, 'settings.get', {})).autoLockMinutes, 15, 'an empty field leaves auto-lock as it was');
  assert.deepEqual(await saveAutoLock('2.5'), { problem: 'Enter a whole number of minutes from 0 to 1440 (0 for never).' });
  assert.deepEqual(await saveAutoLock('2000'), { problem: 'At most 1440 minutes (24 hours); 0 for never.' });
  assert.equal((await call(svc.api, 'settings.get', {})).autoLockMinutes, 15);
  assert.equal(autoLockWarning('15'), null);
  assert.equal(autoLockWarning(''), null);
  assert.equal(autoLockWarning('0'), 'Never: the vault stays unlocked until you lock it, so anyone at this computer can sign with your CAs’ keys.');
  assert.deepEqual(await saveAutoLock('0'), { saved: 'Auto-lock is off: the vault locks only when you lock it.' });
  assert.equal((await call(svc.api, 'settings.get', {})).autoLockMinutes, 0);
});

test('CSR screen: the first CA that can sign is chosen, so what the profile leaves out shows before signing', { timeout: 120_000 }, async (t) => {
  const { ca } = await app(t);
  const der = await libraryCsr([{ CN: ['www.example.com'] }], [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'www.example.com' }, { type: 'email', value: 'admin@example.com' }])]);
  useCsrSign.getState().reset();
  await useCsrSign.getState().preselectCa([ca.id]);
  assert.equal(useCsrSign.getState().ca, null, 'nothing is chosen before a request is loaded');
  await useCsrSign.getState().load({ name: 'www.csr', base64: Buffer.from(der).toString('base64') });
  await useCsrSign.getState().preselectCa([ca.id]);
  const s = useCsrSign.getState();
  assert.equal(s.ca, ca.id);
  assert.equal(s.done, null, 'nothing signed');
  assert.deepEqual(s.plan!.sans, [{ type: 'dns', value: 'www.example.com' }]);
  assert.deepEqual(s.plan!.droppedSans, [{ type: 'email', value: 'admin@example.com' }]);
  await useCsrSign.getState().preselectCa([ca.id + 1]);
  assert.equal(useCsrSign.getState().ca, ca.id, 'a CA already chosen stays');
  useCsrSign.getState().reset();
});

test('first run: a weak passphrase is refused by main with zxcvbn\'s reason and advice', { timeout: 120_000 }, async (t) => {
  const svc = newService(t);
  setBridge(svc.api);
  t.after(() => setBridge(null));
  await useSession.getState().refresh();
  assert.equal(await useSession.getState().create('aaaaaaaaaa'), false);
  assert.equal(
    useSession.getState().error,
    'Passphrase: too easy to guess (strength 0 of 4, about 7 bits; at least 3 of 4 is needed). Repeated characters like "aaa" are easy to guess. Add more words that are less common. Avoid repeated words and characters.',
  );
  assert.equal(useSession.getState().status?.state, 'no-vault');
});
