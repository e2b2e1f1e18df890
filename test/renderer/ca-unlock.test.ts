// "Unlock a CA to sign" in the renderer (issue 15), without a browser: which refusals ask (one switch on the code:
// QUORUM_REQUIRED asks for shares, TOKEN_PIN_REQUIRED for a PIN: ca-unlock-token.test.ts), that call() asks
// and then makes the same request once more, never asks about the unlock channel's own refusals, and says a
// cancelled unlock in the window's words; the unlock store joins two calls waiting on one CA, shows a refusal on
// the share it names, clears every passphrase after each attempt, and lets waiting calls fail on forget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ErrorResult } from '../../shared/errors.js';
import { ApiError, call, messageOf, setBridge, setCaUnlockAsker } from '../../renderer/src/state/api.js';
import { unlockNeedOf } from '../../renderer/src/state/ca-unlock-needs.js';
import { missingFor, shareLabel, useCaUnlock } from '../../renderer/src/state/ca-unlock.js';
import { fakeBridge } from '../helpers/scripted-bridge.js';

const QUORUM: ErrorResult = { ok: false, code: 'QUORUM_REQUIRED', message: 'CA "Root" is under 2-of-3 control: give 2 shares with --share FILE', details: { ca: 'Root', k: 2, n: 3 } };
const CREATED = { ok: true as const, data: { id: 2, name: 'Issuing' } };

test('unlockNeedOf: a switch on the error code', () => {
  assert.deepEqual(unlockNeedOf(QUORUM), { kind: 'quorum', ca: 'Root', k: 2, n: 3 });
  assert.equal(unlockNeedOf({ code: 'QUORUM_REQUIRED', details: { ca: 'Root' } }), null, 'without K and N it cannot ask');
  assert.deepEqual(unlockNeedOf({ code: 'TOKEN_PIN_REQUIRED', details: { ca: 'Root', token: 'CA token' } }), { kind: 'token', ca: 'Root', token: 'CA token' });
  assert.equal(unlockNeedOf({ code: 'TOKEN_PIN_REQUIRED', details: { ca: 'Root' } }), null, 'without the token it cannot ask');
  assert.equal(unlockNeedOf({ code: 'VAULT_LOCKED' }), null);
});

test('call(): asks, then makes the same request again; cancelled, the refusal in the window’s words; unlock channels never ask', async (t) => {
  t.after(() => {
    setBridge(null);
    setCaUnlockAsker(null);
  });
  const asked: unknown[] = [];
  let done = 0;
  let answer = true;
  setCaUnlockAsker(
    async (need) => {
      asked.push(need);
      return answer;
    },
    () => done++,
  );
  const request = { name: 'Issuing', subject: 'CN=Issuing', issuer: 1 };
  const a = fakeBridge({ 'ca.create': [QUORUM, CREATED] });
  setBridge(a.bridge);
  assert.deepEqual(await call('ca.create', request), CREATED.data);
  assert.deepEqual(asked, [{ kind: 'quorum', ca: 'Root', k: 2, n: 3 }]);
  assert.deepEqual(a.calls, [{ channel: 'ca.create', request }, { channel: 'ca.create', request }]);
  assert.equal(done, 1, 'told once the action was done after the unlock');

  answer = false;
  const b = fakeBridge({ 'ca.create': [QUORUM] });
  setBridge(b.bridge);
  const refused = await call('ca.create', request).catch((e: unknown) => e);
  assert.ok(refused instanceof ApiError);
  assert.equal(refused.code, 'QUORUM_REQUIRED');
  assert.equal(messageOf(refused), 'Not signed: CA “Root” signs only with the shares of 2 of its 3 officers, and they were not given.');
  assert.equal(b.calls.length, 1);
  assert.equal(done, 1);

  // crl publish signs with several quorum CAs: each refusal names the next CA, each is asked for in turn.
  answer = true;
  asked.length = 0;
  const other: ErrorResult = { ok: false, code: 'QUORUM_REQUIRED', message: 'CA "Other" is under 2-of-2 control: give 2 shares with --share FILE', details: { ca: 'Other', k: 2, n: 2 } };
  const published = { ok: true as const, data: { folder: '/x', crls: [], combinedFile: '/x/all.crl', publishBy: '' } };
  const c = fakeBridge({ 'crl.publish': [QUORUM, other, published] });
  setBridge(c.bridge);
  assert.deepEqual(await call('crl.publish', { folder: '/x' }), published.data);
  assert.deepEqual(asked, [
    { kind: 'quorum', ca: 'Root', k: 2, n: 3 },
    { kind: 'quorum', ca: 'Other', k: 2, n: 2 },
  ]);
  assert.equal(c.calls.length, 3);

  // ca.presentShares' own "fewer than K" is shown as main words it, never asked about again.
  asked.length = 0;
  const few: ErrorResult = { ok: false, code: 'QUORUM_REQUIRED', message: 'CA "Root" needs the shares of 2 of its 3 officers; 1 given (Alice): add 1 more officer’s share', details: { ca: 'Root', k: 2, n: 3, given: ['Alice'] } };
  setBridge(fakeBridge({ 'ca.presentShares': [few] }).bridge);
  const e = await call('ca.presentShares', { ca: 'Root', shares: [{ label: 'a', text: 'x', passphrase: 'p' }] }).catch((x: unknown) => x);
  assert.equal(messageOf(e), few.message);
  assert.deepEqual(asked, []);

  // Without a dialog mounted, the refusal is thrown as any other.
  setCaUnlockAsker(null);
  setBridge(fakeBridge({ 'ca.create': [QUORUM] }).bridge);
  assert.equal(((await call('ca.create', request).catch((x: unknown) => x)) as ApiError).code, 'QUORUM_REQUIRED');
});

test('the unlock store: two waits on one CA, a refusal on its share, passphrases cleared after every attempt', async (t) => {
  t.after(() => {
    setBridge(null);
    useCaUnlock.getState().forget();
  });
  const store = useCaUnlock.getState;
  const need = { kind: 'quorum' as const, ca: 'Root', k: 2, n: 3 };
  const first = store().ask(need);
  const second = store().ask(need);
  assert.equal(store().queue.length, 1, 'one dialog for both');
  assert.equal(store().rows.length, 2, 'K rows');
  assert.deepEqual(missingFor(store().rows), ['Add a share: pick its file or paste its text, and type its passphrase.']);
  const [r1, r2] = store().rows;
  store().setRow(r1!.id, { fileName: 'alice.certdesk-share', text: 'ALICE SHARE' });
  assert.deepEqual(missingFor(store().rows), ['Share 1 needs its passphrase.']);
  store().setRow(r1!.id, { passphrase: 'alice passphrase' });
  store().setRow(r2!.id, { text: 'BOB SHARE', passphrase: 'wrong passphrase' });
  assert.deepEqual(missingFor(store().rows), []);
  assert.equal(shareLabel(store().rows[1]!, 1, store().rows), 'pasted share 2');

  const bad: ErrorResult = { ok: false, code: 'SHARE_BAD_PASSPHRASE', message: 'wrong passphrase for the share of "Bob" (pasted share 2), or the file was altered: it does not open (nothing was signed)', details: { file: 'pasted share 2', holder: 'Bob' } };
  const unlocked = { ok: true as const, data: { ca: 'Root', holders: ['Alice', 'Bob'], k: 2, n: 3 } };
  const fake = fakeBridge({ 'ca.presentShares': [bad, unlocked] });
  setBridge(fake.bridge);
  assert.equal(await store().presentShares(), null);
  assert.deepEqual(fake.calls[0]!.request, {
    ca: 'Root',
    shares: [
      { label: 'alice.certdesk-share', text: 'ALICE SHARE', passphrase: 'alice passphrase' },
      { label: 'pasted share 2', text: 'BOB SHARE', passphrase: 'wrong passphrase' },
    ],
  });
  assert.deepEqual(
    store().rows.map((r) => [r.passphrase, r.problem]),
    [
      ['', null],
      ['', bad.message],
    ],
  );
  assert.equal(store().error, null);
  assert.equal(store().queue.length, 1, 'still waiting');

  store().setRow(r1!.id, { passphrase: 'alice passphrase' });
  store().setRow(r2!.id, { passphrase: 'bob passphrase' });
  const before = store().unlocks;
  assert.deepEqual(await store().presentShares(), unlocked.data);
  assert.deepEqual([await first, await second], [true, true]);
  assert.deepEqual([store().queue, store().rows, store().unlocks], [[], [], before + 1]);

  // Forget (the vault locked): every waiting call fails as refused.
  const third = store().ask({ ...need, ca: 'Other' });
  store().forget();
  assert.equal(await third, false);
  assert.deepEqual(store().rows, []);
});
