// Issue 14 (part B) in the renderer's stores: the UPN typed on the Recipient step becomes the certificate's UPN
// name (and satisfies the user profile's "e-mail or UPN"), leaving the hand-over forgets it as Done does, and the
// CA preselected by the issue wizard, batch and Sign a CSR is the only or most recent one that can sign.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CaRecord } from '../../shared/domain.js';
import { setBridge } from '../../renderer/src/state/api.js';
import { defaultCa } from '../../renderer/src/state/default-ca.js';
import { auditDetails, dateTime, day, month } from '../../renderer/src/state/format.js';
import { prefillSans } from '../../renderer/src/state/prefill.js';
import { toRequest, useIssue } from '../../renderer/src/state/issue.js';
import { useSession } from '../../renderer/src/state/session.js';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

const USER = { sanAllowed: ['email', 'upn'] as const, sanRequireOneOf: ['email', 'upn'] as const };

test('prefill: the UPN from the Recipient step becomes a UPN name where the profile allows one', () => {
  const user = { sanAllowed: [...USER.sanAllowed], sanRequireOneOf: [...USER.sanRequireOneOf] };
  assert.deepEqual(prefillSans(user, { name: 'Alice', upn: ' alice@corp.example.com ' }), [{ type: 'upn', value: 'alice@corp.example.com' }], 'the UPN alone meets "e-mail or UPN": no empty e-mail row');
  assert.deepEqual(prefillSans(user, { name: 'Alice', email: 'alice@example.com', upn: 'alice@corp.example.com' }), [
    { type: 'email', value: 'alice@example.com' },
    { type: 'upn', value: 'alice@corp.example.com' },
  ]);
  assert.deepEqual(prefillSans(user, { name: 'Alice', upn: '  ' }), [{ type: 'email', value: '' }], 'a blank UPN is none');
  assert.deepEqual(prefillSans({ sanAllowed: ['dns', 'ip'], sanRequireOneOf: ['dns', 'ip'] }, { name: 'Web', upn: 'web@corp.example.com' }), [{ type: 'dns', value: '' }], 'a profile without UPN names leaves it out');
});

function ca(id: number, notBefore: string, over: Partial<CaRecord> = {}): CaRecord {
  return { id, name: `CA ${id}`, certificateId: id, subject: `CN=CA ${id}`, serial: '01', issuerCaId: null, pathLength: null, keyType: 'ec-p256', notBefore, notAfter: '2036-01-01T00:00:00.000Z', status: 'valid', crlUrl: null, crlNumber: 0, crlDays: 7, lastCrlAt: null, nextCrlUpdate: null, sha1: '', sha256: '', source: 'created', hasKey: true, retired: false, ...over };
}

test('defaultCa: the only or most recent CA that can sign; null when none can', () => {
  assert.equal(defaultCa([]), null);
  assert.equal(defaultCa([ca(1, '2026-01-01T00:00:00.000Z')]), 1);
  assert.equal(defaultCa([ca(1, '2026-01-01T00:00:00.000Z'), ca(2, '2026-03-01T00:00:00.000Z'), ca(3, '2026-02-01T00:00:00.000Z')]), 2, 'the latest notBefore');
  assert.equal(defaultCa([ca(4, '2026-01-01T00:00:00.000Z'), ca(2, '2026-01-01T00:00:00.000Z')]), 4, 'the same start: the one created last');
  assert.equal(defaultCa([ca(1, '2026-01-01T00:00:00.000Z'), ca(2, '2026-05-01T00:00:00.000Z', { hasKey: false }), ca(3, '2026-06-01T00:00:00.000Z', { status: 'revoked' })]), 1, 'only one that can sign');
  assert.equal(defaultCa([ca(1, '2026-01-01T00:00:00.000Z'), ca(2, '2026-05-01T00:00:00.000Z', { retired: true })]), 1, 'a CA retired by a new-key renewal issues nothing');
  assert.equal(defaultCa([ca(2, '2026-05-01T00:00:00.000Z', { hasKey: false })]), null);
});

test('issue wizard: the UPN reaches main as a UPN name; leaving the hand-over without Done forgets the password', { timeout: 120_000 }, async (t) => {
  const svc = newService(t);
  setBridge(svc.api);
  t.after(() => setBridge(null));
  t.after(() => useIssue.getState().reset());
  await useSession.getState().refresh();
  assert.equal(await useSession.getState().create('correct horse battery staple'), true);
  const created = await call(svc.api, 'ca.create', { name: 'CA', subject: 'CN=Leave CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  const profile = (await call(svc.api, 'profile.list', {})).find((p) => p.id === 'user')!;

  const s = useIssue.getState();
  s.update({ profile: 'user', ca: created.id });
  s.setRecipient({ name: 'Alice Example', upn: 'alice@corp.example.com' }, profile);
  assert.deepEqual(toRequest(useIssue.getState().draft)?.sans, [{ type: 'upn', value: 'alice@corp.example.com' }]);
  await useIssue.getState().runCheck();
  assert.deepEqual(useIssue.getState().check!.problems, [], 'the UPN alone satisfies the user profile');
  assert.deepEqual(useIssue.getState().check!.sans, [{ type: 'upn', value: 'alice@corp.example.com' }]);

  // Leaving with nothing handed over keeps the draft.
  useIssue.getState().go('key');
  useIssue.getState().leaveHandover();
  assert.equal(useIssue.getState().step, 'key');
  assert.equal(useIssue.getState().draft.recipient.name, 'Alice Example');

  useIssue.getState().setDelivery({ folder: usb });
  assert.equal(await useIssue.getState().issue(), true, useIssue.getState().error ?? '');
  assert.equal(useIssue.getState().step, 'finish');
  assert.match(useIssue.getState().handover!.password, /^\S{16}$/);
  useIssue.getState().leaveHandover();
  assert.equal(useIssue.getState().handover, null, 'the hand-over (and its password) is gone');
  assert.equal(useIssue.getState().step, 'type');
  assert.equal(useIssue.getState().draft.recipient.name, '', 'the draft starts again, as after Done');
  assert.equal(useIssue.getState().draft.ca, created.id, 'the CA stays chosen');
  assert.equal(useIssue.getState().delivery.folder, usb, 'the folder stays chosen');
});

test('dates for people: the user locale format, never raw ISO 8601; audit details with their instants formatted', () => {
  const at = '2027-12-01T09:30:00.000Z';
  assert.equal(day(at), new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(at)));
  assert.equal(dateTime(at), new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at)));
  assert.doesNotMatch(day(at), /2027-12-01/);
  assert.equal(day(null), '—');
  assert.equal(day('not a date'), '—');
  assert.equal(month('2027-01'), new Intl.DateTimeFormat(undefined, { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2027, 0, 1))));
  assert.equal(
    auditDetails({ profile: 'user', notAfter: at, sans: ['a@example.com', 'b@example.com'], rows: 3, preflight: { errors: 0 } }),
    `profile: user; notAfter: ${dateTime(at)}; sans: a@example.com, b@example.com; rows: 3; preflight: {"errors":0}`,
  );
  assert.equal(auditDetails({ note: '2027-12-01 is a day, not an instant' }), 'note: 2027-12-01 is a day, not an instant');
});
