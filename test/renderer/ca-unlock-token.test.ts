// A CA whose key is on a PKCS#11 token, in the renderer (issue 15), without a browser: TOKEN_PIN_REQUIRED asks for
// the token's PIN (title "Log in to token “X” for CA “Y”"), call() makes the refused request again once the PIN
// logged in, a cancelled PIN says in the window's words that nothing was signed; the unlock store sends the PIN
// to ca.tokenLogin with the CA's id, shows a wrong PIN's refusal in the dialog, and clears the PIN after every
// attempt; the wizard's token choice says what is missing and builds ca.create's and ca.import's pkcs11 field.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenListing } from '../../shared/api.js';
import type { ErrorResult } from '../../shared/errors.js';
import { ApiError, call, messageOf, setBridge, setCaUnlockAsker } from '../../renderer/src/state/api.js';
import { needKey, needTitle, neededText, unlockNeedOf } from '../../renderer/src/state/ca-unlock-needs.js';
import { useCaUnlock } from '../../renderer/src/state/ca-unlock.js';
import { keyLabelsOf, missingForToken, NO_TOKEN_CHOICE, tokenKeyRequest, tokenOptionLabel } from '../../renderer/src/state/token-choice.js';
import { fakeBridge } from '../helpers/scripted-bridge.js';

// As electron/core/pkcs11/token-signer.ts and token-errors.ts word them.
const PIN_REQUIRED: ErrorResult = {
  ok: false,
  code: 'TOKEN_PIN_REQUIRED',
  message: 'CA "Root" signs with a key on token "Root Token": log in to the token first (the PIN dialog, or $CERTDESK_PKCS11_PIN for the command line)',
  details: { ca: 'Root', token: 'Root Token' },
};
const WRONG_PIN: ErrorResult = {
  ok: false,
  code: 'TOKEN_PIN_INCORRECT',
  message: 'token "Root Token" (CA "Root") in PKCS#11 module /usr/lib/softhsm/libsofthsm2.so refused the PIN; nothing was signed',
  details: { module: '/usr/lib/softhsm/libsofthsm2.so', token: 'Root Token', ca: 'Root' },
};
const CAS = { ok: true as const, data: [{ id: 1, name: 'Other' }, { id: 7, name: 'Root' }] };
const LOGGED_IN = { ok: true as const, data: { ca: 'Root', token: 'Root Token' } };
const NEED = { kind: 'token' as const, ca: 'Root', token: 'Root Token' };

test('TOKEN_PIN_REQUIRED: the need, its title, its key and its words when no PIN was given', async (t) => {
  t.after(() => {
    setBridge(null);
    setCaUnlockAsker(null);
  });
  assert.deepEqual(unlockNeedOf(PIN_REQUIRED), NEED);
  assert.equal(needTitle(NEED), 'Log in to token “Root Token” for CA “Root”');
  assert.equal(needKey(NEED), 'token:Root');
  assert.notEqual(needKey(NEED), needKey({ kind: 'quorum', ca: 'Root', k: 2, n: 3 }));

  const asked: unknown[] = [];
  let answer = true;
  setCaUnlockAsker(async (need) => {
    asked.push(need);
    return answer;
  });
  const request = { name: 'Issuing', subject: 'CN=Issuing', issuer: 7 };
  const created = { ok: true as const, data: { id: 8, name: 'Issuing' } };
  const a = fakeBridge({ 'ca.create': [PIN_REQUIRED, created] });
  setBridge(a.bridge);
  assert.deepEqual(await call('ca.create', request), created.data);
  assert.deepEqual(asked, [NEED]);
  assert.deepEqual(a.calls, [{ channel: 'ca.create', request }, { channel: 'ca.create', request }], 'the same request, made again');

  answer = false;
  setBridge(fakeBridge({ 'ca.create': [PIN_REQUIRED] }).bridge);
  const refused = await call('ca.create', request).catch((e: unknown) => e);
  assert.ok(refused instanceof ApiError && refused.code === 'TOKEN_PIN_REQUIRED');
  assert.equal(messageOf(refused), 'Not signed: CA “Root” signs with its key on token “Root Token”, and the token’s PIN was not given.');
  assert.equal(messageOf(refused), neededText(NEED));

  // ca.tokenLogin's own refusal is shown as main words it, never asked about again.
  asked.length = 0;
  setBridge(fakeBridge({ 'ca.tokenLogin': [WRONG_PIN] }).bridge);
  const wrong = await call('ca.tokenLogin', { ca: 7, pin: '0000' }).catch((e: unknown) => e);
  assert.equal(messageOf(wrong), WRONG_PIN.message);
  assert.deepEqual(asked, []);
});

test('the PIN form: ca.tokenLogin with the CA’s id, a wrong PIN shown in the dialog, the PIN cleared after every attempt', async (t) => {
  t.after(() => {
    setBridge(null);
    useCaUnlock.getState().forget();
  });
  const store = useCaUnlock.getState;
  const first = store().ask(NEED);
  const second = store().ask(NEED);
  assert.equal(store().queue.length, 1, 'one dialog for both');
  assert.deepEqual(store().rows, [], 'no share rows for a token');
  assert.equal(await store().tokenLogin(), null, 'nothing is sent without a PIN');

  const fake = fakeBridge({ 'ca.list': [CAS, CAS], 'ca.tokenLogin': [WRONG_PIN, LOGGED_IN] });
  setBridge(fake.bridge);
  store().setPin('000000');
  assert.equal(await store().tokenLogin(), null);
  assert.equal(store().error, WRONG_PIN.message, 'the refusal is shown in the dialog');
  assert.equal(store().pin, '', 'the PIN is cleared after a refused attempt');
  assert.equal(store().queue.length, 1, 'still waiting');

  store().setPin('731942');
  const before = store().unlocks;
  assert.deepEqual(await store().tokenLogin(), LOGGED_IN.data);
  assert.deepEqual(
    fake.calls.filter((c) => c.channel === 'ca.tokenLogin').map((c) => c.request),
    [
      { ca: 7, pin: '000000' },
      { ca: 7, pin: '731942' },
    ],
  );
  assert.deepEqual([await first, await second], [true, true]);
  assert.deepEqual([store().queue, store().pin, store().error, store().unlocks], [[], '', null, before + 1]);

  // A CA gone from the vault meanwhile: said in the dialog, no login tried.
  const gone = store().ask({ ...NEED, ca: 'Gone' });
  const g = fakeBridge({ 'ca.list': [CAS] });
  setBridge(g.bridge);
  store().setPin('731942');
  assert.equal(await store().tokenLogin(), null);
  assert.equal(store().error, 'CA “Gone” is no longer in this vault');
  assert.equal(store().pin, '');
  assert.deepEqual(g.calls.map((c) => c.channel), ['ca.list']);
  store().cancel();
  assert.equal(await gone, false, 'cancelled: the waiting call fails as refused');
});

const TOKEN: TokenListing['tokens'][number] = {
  label: 'Root Token',
  serial: '5f1c9a0e2b7d4c3a',
  manufacturer: 'SoftHSM project',
  model: 'SoftHSM v2',
  loginRequired: true,
  pinLocked: false,
  objects: [
    { kind: 'public-key', label: 'root-key', id: '01', type: 'ec' },
    { kind: 'certificate', label: 'root-cert', id: '01', type: 'x509' },
    { kind: 'public-key', label: 'archive', id: '02', type: 'rsa' },
    { kind: 'private-key', label: 'root-key', id: '01', type: 'ec' },
  ],
};

test('the wizard’s token choice: key labels, token names, what is missing, the pkcs11 field', () => {
  assert.deepEqual(keyLabelsOf(TOKEN), ['archive', 'root-key'], 'keys only, each once, sorted');
  assert.deepEqual(keyLabelsOf(undefined), []);
  assert.equal(tokenOptionLabel(TOKEN), 'Root Token (SoftHSM v2, serial 5f1c9a0e2b7d4c3a)');
  assert.equal(tokenOptionLabel({ ...TOKEN, pinLocked: true }), 'Root Token (SoftHSM v2, serial 5f1c9a0e2b7d4c3a), PIN locked');

  assert.deepEqual(missingForToken(NO_TOKEN_CHOICE, 'new'), ['Choose the PKCS#11 module.', 'Type the token’s PIN.']);
  const module = { ...NO_TOKEN_CHOICE, module: '/usr/lib/softhsm/libsofthsm2.so' };
  assert.deepEqual(missingForToken(module, 'new'), ['Choose the token.', 'Type the token’s PIN.']);
  const chosen = { ...module, token: 'Root Token', pin: '731942' };
  assert.deepEqual(missingForToken(chosen, 'new'), [], 'a new key may go without a label (the CA’s name)');
  assert.deepEqual(missingForToken({ ...chosen, keyLabel: '  ' }, 'existing'), ['Choose the key on the token.']);
  assert.deepEqual(missingForToken({ ...chosen, keyLabel: 'root-key' }, 'existing'), []);

  assert.deepEqual(tokenKeyRequest(chosen), { module: '/usr/lib/softhsm/libsofthsm2.so', token: 'Root Token', pin: '731942' });
  assert.deepEqual(tokenKeyRequest({ ...chosen, keyLabel: ' root-key ' }), { module: '/usr/lib/softhsm/libsofthsm2.so', token: 'Root Token', keyLabel: 'root-key', pin: '731942' });
});
