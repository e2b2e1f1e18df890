// The issue wizard's recipient step with a Windows SID and account name, against the real handler table: the
// certificate's SID follows the recipient's until the officer types another, a bad account is a problem of the
// recipient step (not the names step), issuing stores both with the recipient, recipient.list returns them for
// picking, and the certificate's details carry them.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setBridge } from '../../renderer/src/state/api.js';
import { blockers, problemsFor, toRequest, useIssue } from '../../renderer/src/state/issue.js';
import { useSession } from '../../renderer/src/state/session.js';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';

const SID = 'S-1-5-21-1004336348-1177238915-682003330-1001';
const SID2 = 'S-1-5-21-1004336348-1177238915-682003330-1002';

test('issue wizard: the recipient step edits SID and account; the certificate SID follows; both are stored and listed', { timeout: 120_000 }, async (t) => {
  const svc = newService(t);
  setBridge(svc.api);
  t.after(() => setBridge(null));
  t.after(() => useIssue.getState().reset());
  await useSession.getState().refresh();
  assert.equal(await useSession.getState().create('correct horse battery staple'), true);
  const ca = await call(svc.api, 'ca.create', { name: 'CA', subject: 'CN=Wizard CA,O=Example', keyType: 'ec-p256', days: 3650 });
  const usb = join(svc.dir, 'usb');
  mkdirSync(usb);
  const profile = (await call(svc.api, 'profile.list', {})).find((p) => p.id === 'user')!;

  const s = useIssue.getState();
  s.update({ profile: 'user', ca: ca.id });
  s.setRecipient({ name: 'Alice Example', email: 'alice@example.com', sid: SID, account: 'a@b' }, profile);
  assert.equal(useIssue.getState().draft.sid, SID, "the certificate's SID is filled from the recipient");
  await useIssue.getState().runCheck();
  const message = 'account: account name "a@b" contains "@", which an account name cannot hold';
  assert.deepEqual(problemsFor(useIssue.getState().check, 'recipient'), [{ field: 'account', message }]);
  assert.deepEqual(problemsFor(useIssue.getState().check, 'names'), []);
  assert.deepEqual(blockers(useIssue.getState(), 'recipient'), [message]);

  // The officer types another certificate SID on the names step: a later recipient edit leaves it alone.
  useIssue.getState().update({ sid: SID2 });
  useIssue.getState().setRecipient({ ...useIssue.getState().draft.recipient, account: ' aexample ' }, profile);
  assert.equal(useIssue.getState().draft.sid, SID2);
  useIssue.getState().update({ sid: SID });
  assert.deepEqual(toRequest(useIssue.getState().draft)?.recipient, { name: 'Alice Example', email: 'alice@example.com', phone: undefined, description: undefined, sid: SID, account: 'aexample' });
  await useIssue.getState().runCheck();
  assert.deepEqual(useIssue.getState().check!.problems, []);
  useIssue.getState().setDelivery({ folder: usb });
  assert.equal(await useIssue.getState().issue(), true, useIssue.getState().error ?? '');

  const [picked] = await call(svc.api, 'recipient.list', { search: 'aexample' });
  assert.deepEqual(picked, { id: 1, kind: 'person', name: 'Alice Example', email: 'alice@example.com', phone: null, description: null, sid: SID, account: 'aexample' });
  const [cert] = (await call(svc.api, 'cert.list', { offset: 0, limit: 10 })).rows;
  assert.deepEqual([cert!.recipient?.sid, cert!.recipient?.account], [SID, 'aexample']);
  const mapping = await call(svc.api, 'cert.adMapping', { id: cert!.id });
  assert.match(mapping.powershell, /\nSet-ADUser -Identity 'aexample' -Add @\{altSecurityIdentities='X509:<I>/);

  // A recipient without a SID clears a SID that only followed the previous recipient.
  useIssue.getState().reset();
  useIssue.getState().update({ profile: 'user', ca: ca.id });
  useIssue.getState().setRecipient({ name: 'Alice Example', email: 'alice@example.com', sid: picked!.sid ?? '', account: picked!.account ?? '' }, profile);
  assert.equal(useIssue.getState().draft.sid, SID);
  useIssue.getState().setRecipient({ name: 'Bob', sid: '' }, profile);
  assert.equal(useIssue.getState().draft.sid, '');
});
