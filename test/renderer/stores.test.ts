// The renderer's stores and logic, under Node against the real handler table through the in-memory
// transport (the same calls the window makes through the preload).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setBridge } from '../../renderer/src/state/api.js';
import { pagesByNeed, pagesFor, useCertificates, PAGE_SIZE } from '../../renderer/src/state/certificates.js';
import { blockers, problemsFor, toRequest, useIssue } from '../../renderer/src/state/issue.js';
import { passphraseStrength } from '../../renderer/src/state/passphrase.js';
import { loadPassphraseEstimator } from '../../shared/passphrase-strength.js';
import { prefillSans } from '../../renderer/src/state/prefill.js';
import { useSession } from '../../renderer/src/state/session.js';
import { call } from '../helpers/in-memory-api.js';
import { copyCertificate } from '../helpers/bulk-certificates.js';
import { newService } from '../helpers/service.js';

const PASSPHRASE = 'correct horse battery staple';

async function settle(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), `timed out waiting for ${what}`);
}

test('passphrase meter: the minimum length first, then zxcvbn-ts\'s score; below 3 of 4 is refused with its advice', async () => {
  const estimate = await loadPassphraseEstimator();
  assert.deepEqual(passphraseStrength('Tr0ub4dor!', 12, estimate), { strength: 'too short', score: 0, bits: 33, problem: 'At least 12 characters are needed.' });
  const repeat = passphraseStrength('aaaaaaaaaa', 10, estimate);
  assert.deepEqual(repeat, {
    strength: 'very weak',
    score: 0,
    bits: 7,
    problem: 'Too easy to guess (strength 0 of 4, about 7 bits; at least 3 of 4 is needed). Repeated characters like "aaa" are easy to guess. Add more words that are less common. Avoid repeated words and characters.',
  });
  const run = passphraseStrength('abcdefghijklmn', 10, estimate);
  assert.equal(run.strength, 'very weak', 'a run counts for little');
  assert.match(run.problem!, /Common character sequences like "abc" are easy to guess\. Add more words that are less common\. Avoid common character sequences\.$/);
  assert.deepEqual(passphraseStrength('correct horse battery staple', 10, estimate), { strength: 'strong', score: 4, bits: 66, problem: null });
  // The context words count as known: "certdesk vault passphrase" is three words an attacker tries first.
  assert.ok(passphraseStrength('Xk#9pL!q2@Wm', 10, estimate).bits > passphraseStrength('certdesk vault passphrase', 10, estimate).bits);
});

test('names are prefilled from the recipient as the profile allows', () => {
  const user = { sanAllowed: ['email', 'upn'] as const, sanRequireOneOf: ['email', 'upn'] as const };
  assert.deepEqual(prefillSans({ sanAllowed: [...user.sanAllowed], sanRequireOneOf: [...user.sanRequireOneOf] }, { name: 'Alice', email: ' alice@example.com ' }), [{ type: 'email', value: 'alice@example.com' }]);
  assert.deepEqual(prefillSans({ sanAllowed: [...user.sanAllowed], sanRequireOneOf: [...user.sanRequireOneOf] }, { name: 'Alice' }), [{ type: 'email', value: '' }]);
  assert.deepEqual(prefillSans({ sanAllowed: ['dns', 'ip'], sanRequireOneOf: ['dns', 'ip'] }, { name: 'Web01.Example.com' }), [{ type: 'dns', value: 'web01.example.com' }]);
  assert.deepEqual(prefillSans({ sanAllowed: ['dns', 'device', 'ip', 'uri'], sanRequireOneOf: ['dns', 'device'] }, { name: 'Kiosk 7' }), [{ type: 'dns', value: '' }]);
  assert.deepEqual(prefillSans({ sanAllowed: ['email', 'upn', 'dns'], sanRequireOneOf: [] }, { name: 'vpn.example.com', email: 'a@example.com' }), [{ type: 'email', value: 'a@example.com' }]);
});

test('the certificate table fetches only the pages in view', () => {
  assert.deepEqual(pagesFor(0, 40), [0]);
  assert.deepEqual(pagesFor(95, 130), [0, 1]);
  assert.deepEqual(pagesFor(99_950, 99_999), [999]);
  assert.deepEqual(pagesFor(10, 9), []);
  // The page at the middle of the view is fetched first, then outwards.
  assert.deepEqual(pagesByNeed(95, 330), [2, 1, 3, 0]);
  assert.deepEqual(pagesByNeed(0, 40), [0]);
});

test('issue wizard: each step blocks on its own problems only; empty names are not sent', () => {
  const check = { problems: [{ field: 'sans.0', message: 'bad e-mail' }, { field: 'days', message: 'too long' }], subject: '', sans: [], keyType: 'ec-p256' as const, days: 1, notAfter: null, findings: [] };
  assert.deepEqual(problemsFor(check, 'names').map((p) => p.field), ['sans.0']);
  assert.deepEqual(problemsFor(check, 'key').map((p) => p.field), ['days']);
  const draft = { mode: 'per-user' as const, profile: 'user' as const, ca: 3, recipient: { name: 'A', email: '' }, sans: [{ type: 'email' as const, value: 'a@example.com' }, { type: 'upn' as const, value: ' ' }], keyType: undefined, days: undefined, alias: '', override: { on: false, reason: '' }, sid: '' };
  const delivery = { folder: '', encryption: 'modern' as const, devices: [], passwordMode: 'set' as const, password: 'x', confirm: 'y' };
  assert.deepEqual(blockers({ draft, delivery, check: null }, 'delivery'), ['Choose what will install the certificate.', 'Choose the export folder (the USB stick).', 'The two passwords differ.']);
  assert.deepEqual(blockers({ draft, delivery: { ...delivery, devices: ['apple-old'] }, check: null }, 'delivery'), ['Choose the export folder (the USB stick).', 'The two passwords differ.']);
  assert.deepEqual(blockers({ draft, delivery, check: null }, 'names'), ['Fill in or remove the empty name.']);
  assert.deepEqual(toRequest(draft)?.sans, [{ type: 'email', value: 'a@example.com' }]);
  assert.equal(toRequest({ ...draft, ca: null }), null);
  // The SID is sent trimmed, and not at all when blank; its problems belong to the names step.
  assert.equal(toRequest({ ...draft, sid: ' S-1-5-21-1-2-3-1001 ' })?.sid, 'S-1-5-21-1-2-3-1001');
  assert.equal(toRequest({ ...draft, sid: '  ' })?.sid, undefined);
  const sidCheck = { ...check, problems: [{ field: 'sid', message: 'sid: not a SID' }] };
  assert.deepEqual(problemsFor(sidCheck, 'names').map((p) => p.field), ['sid']);
  assert.deepEqual(problemsFor(sidCheck, 'key'), []);
});

test('stores against the real service: session, lock from anywhere, issue, paged certificates', async (t) => {
  const svc = newService(t);
  setBridge(svc.api);
  t.after(() => setBridge(null));
  const session = useSession.getState();
  await session.refresh();
  assert.equal(useSession.getState().status?.state, 'no-vault');
  assert.equal(await useSession.getState().create('short'), false);
  assert.match(useSession.getState().error!, /at least 10 characters/);
  assert.equal(await useSession.getState().create(PASSPHRASE), true);
  assert.equal(useSession.getState().status?.state, 'unlocked');

  const root = await call(svc.api, 'ca.create', { name: 'Root', subject: 'CN=Root', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);

  // The issue wizard's store: a draft with a problem, then a good one, issued and handed over.
  const issue = useIssue.getState();
  issue.update({ ca: root.id, recipient: { name: 'Bob', email: 'bob(at)example.com' }, sans: [{ type: 'email', value: 'bob(at)example.com' }] });
  await useIssue.getState().runCheck();
  assert.deepEqual(problemsFor(useIssue.getState().check, 'names').map((p) => p.field), ['sans.0']);
  useIssue.getState().update({ sans: [{ type: 'email', value: 'bob@example.com' }] });
  useIssue.getState().setDelivery({ folder: usb });
  await useIssue.getState().runCheck();
  assert.deepEqual(useIssue.getState().check?.problems, []);
  assert.equal(await useIssue.getState().issue(), true);
  const handover = useIssue.getState().handover!;
  assert.equal(useIssue.getState().step, 'finish');
  assert.match(handover.password, /^\S{16}$/);
  useIssue.getState().reset();
  assert.equal(useIssue.getState().handover, null, 'Done forgets the password');

  // 220 more certificates: the table loads page 0 on a filter and page 2 when rows 205-215 come into view.
  // Copies of Bob's row (helpers/bulk-certificates.ts): the pages need rows, not 220 bundles (batches have their own tests).
  copyCertificate(svc.session.unlocked(), handover.certificate.id, { count: 220, vary: (i) => ({ holder: `P${i}` }) });
  const certs = useCertificates.getState();
  certs.setFilter({});
  await settle(() => useCertificates.getState().total === 221, 'the total');
  assert.deepEqual(useCertificates.getState().cachedPages(), [0]);
  useCertificates.getState().ensureRows(205, 215);
  await settle(() => useCertificates.getState().cachedPages().includes(2), 'page 2');
  assert.deepEqual(useCertificates.getState().cachedPages(), [0, 2], 'page 1 was never in view');
  assert.equal(useCertificates.getState().row(210)?.id !== undefined, true);
  const lastRow = 221 - 1;
  assert.equal(typeof useCertificates.getState().row(lastRow)?.id, 'number', 'page 2 holds the last row');
  assert.equal(useCertificates.getState().row(lastRow + 1), undefined, `page 2 holds ${221 - 2 * PAGE_SIZE} rows`);
  // A new filter drops the old pages; a late answer for the old filter is ignored.
  useCertificates.getState().setFilter({ search: 'P21' });
  await settle(() => useCertificates.getState().total === 11, 'the filtered total');

  // Locking anywhere (here: in main, as the idle timer does) returns the session to locked on the next call.
  svc.session.lock();
  const before = useSession.getState().lockCount;
  await assert.rejects(call(svc.api, 'dashboard', {}));
  await assert.rejects(import('../../renderer/src/state/api.js').then((m) => m.call('dashboard', {})), /locked/);
  await settle(() => useSession.getState().status?.state === 'locked', 'the locked status');
  assert.equal(useSession.getState().lockCount, before + 1);
  assert.equal(await useSession.getState().unlock('wrong passphrase!'), false);
  assert.match(useSession.getState().error!, /wrong passphrase/);
  assert.equal(await useSession.getState().unlock(PASSPHRASE), true);
});
