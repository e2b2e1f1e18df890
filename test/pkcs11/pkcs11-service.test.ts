// Issue 15, CA keys on PKCS#11 tokens through the service handler table (what the window calls): token.modules,
// token.list, ca.create and ca.import with a pkcs11 key, ca.tokenLogin, and the rule that main loads only a known
// module or the file the officer chose in the module dialog. Locking the vault logs out and unloads the module.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CertDeskApi, ChannelName, RequestOf } from '../../shared/api.js';
import type { ErrorCode } from '../../shared/errors.js';
import { loadedModuleCount } from '../../electron/core/pkcs11/library.js';
import { call } from '../helpers/in-memory-api.js';
import { newService } from '../helpers/service.js';
import { needSoftHsm, softHsm, SOFTHSM_MODULE, USER_PIN } from '../helpers/softhsm.js';
import { tempDir } from '../helpers/tmp.js';

const PASSPHRASE = 'correct horse battery staple';

async function fails<K extends ChannelName>(api: CertDeskApi, channel: K, req: RequestOf<K>, code: ErrorCode, message: string | RegExp): Promise<void> {
  const result = await api[channel](req);
  assert.equal(result.ok, false, `${channel} should fail with ${code}`);
  if (result.ok) return;
  assert.equal(result.code, code, `${channel}: expected ${code}, got ${result.code}: ${result.message}`);
  if (typeof message === 'string') assert.equal(result.message, message);
  else assert.match(result.message, message);
  assert.ok(!result.message.includes(USER_PIN) && !JSON.stringify(result).includes('0000'), 'no PIN in an error');
}

test('token channels: modules, list, a token CA, PIN login, module grants, lock logs out', { timeout: 60_000 }, async (t) => {
  if (!needSoftHsm(t)) return;
  const hsm = softHsm(tempDir(t));
  const serial = hsm.initToken('App Token');
  process.env.SOFTHSM2_CONF = hsm.conf; // read by the module at C_Initialize, in this process
  const svc = newService(t);
  const { api, session, dir } = svc;
  await call(api, 'vault.create', { passphrase: PASSPHRASE });

  // The installed SoftHSM module is offered without a dialog.
  assert.ok((await call(api, 'token.modules', {})).some((m) => m.path === SOFTHSM_MODULE && m.name === 'SoftHSM2'));

  // Any other path is loaded only after the officer chose it in the module dialog; a write grant does not count.
  const copy = join(dir, 'libcopy.so');
  copyFileSync(SOFTHSM_MODULE, copy);
  const notChosen = `module: ${copy} is not a known PKCS#11 module and was not chosen in the module dialog this session; choose the module file with its Choose… button`;
  await fails(api, 'token.list', { module: copy }, 'INVALID_INPUT', notChosen);
  session.grants.grantFile(copy);
  await fails(api, 'token.list', { module: copy }, 'INVALID_INPUT', notChosen);
  await fails(api, 'token.list', { module: `${dir}/../${dir.split('/').pop()}/libcopy.so` }, 'INVALID_INPUT', /is not a known PKCS#11 module/);
  await fails(
    api,
    'ca.create',
    { name: 'Sneaky', subject: 'CN=Sneaky', keyType: 'ec-p256', pkcs11: { module: copy, token: 'App Token', pin: USER_PIN } },
    'INVALID_INPUT',
    `pkcs11.module: ${copy} is not a known PKCS#11 module and was not chosen in the module dialog this session; choose the module file with its Choose… button`,
  );
  assert.equal(loadedModuleCount(), 0, 'nothing was loaded');
  session.grants.grantModule(copy);
  const listing = await call(api, 'token.list', { module: copy });
  assert.deepEqual(
    listing.tokens.map((tk) => [tk.label, tk.loginRequired, tk.objects.length]),
    [['App Token', true, 0]],
  );

  // A root whose P-384 key is generated on the token; the session stays logged in: an intermediate is signed at once.
  await fails(api, 'ca.create', { name: 'Root', subject: 'CN=App Token Root', keyType: 'ec-p384', pkcs11: { module: SOFTHSM_MODULE, token: 'App Token', pin: '0000' } }, 'TOKEN_PIN_INCORRECT', /refused the PIN/);
  const root = await call(api, 'ca.create', { name: 'Root', subject: 'CN=App Token Root', keyType: 'ec-p384', pkcs11: { module: SOFTHSM_MODULE, token: 'App Token', keyLabel: 'app-root', pin: USER_PIN } });
  assert.equal(root.keyType, 'ec-p384');
  await call(api, 'ca.create', { name: 'Sub 1', subject: 'CN=Sub 1', keyType: 'ec-p256', issuer: root.id });
  assert.equal(loadedModuleCount(), 1);
  const objects = (await call(api, 'token.list', { module: SOFTHSM_MODULE })).tokens[0]!.objects;
  // This process is logged in to the token (PKCS#11 login state is per application), so the private key shows too.
  assert.deepEqual(objects.map((o) => [o.kind, o.label, o.type]), [
    ['private-key', 'app-root', 'ec-p384'],
    ['public-key', 'app-root', 'ec-p384'],
  ]);

  // Locking logs out and unloads the module; after unlocking, signing needs the PIN again (the app's PIN dialog).
  await call(api, 'vault.lock', {});
  assert.equal(loadedModuleCount(), 0, 'lock logged out and finalized the module');
  await call(api, 'vault.unlock', { passphrase: PASSPHRASE });
  await fails(api, 'ca.create', { name: 'Sub 2', subject: 'CN=Sub 2', keyType: 'ec-p256', issuer: root.id }, 'TOKEN_PIN_REQUIRED', 'CA "Root" signs with a key on token "App Token": log in to the token first (the PIN dialog, or $CERTDESK_PKCS11_PIN for the command line)');
  await fails(api, 'ca.tokenLogin', { ca: root.id, pin: '0000' }, 'TOKEN_PIN_INCORRECT', `token "App Token" (CA "Root") in PKCS#11 module ${SOFTHSM_MODULE} refused the PIN; the token says few tries are left before the PIN locks; nothing was signed`);
  await fails(api, 'ca.create', { name: 'Sub 2', subject: 'CN=Sub 2', keyType: 'ec-p256', issuer: root.id }, 'TOKEN_PIN_REQUIRED', /log in to the token first/);
  await fails(api, 'ca.tokenLogin', { ca: root.id, pin: '' }, 'INVALID_INPUT', /enter the PIN/);
  assert.deepEqual(await call(api, 'ca.tokenLogin', { ca: root.id, pin: USER_PIN }), { ca: 'Root', token: 'App Token' });
  const sub2 = await call(api, 'ca.create', { name: 'Sub 2', subject: 'CN=Sub 2', keyType: 'ec-p256', issuer: root.id });
  assert.equal(sub2.issuerCaId, root.id);
  await fails(api, 'ca.tokenLogin', { ca: sub2.id, pin: USER_PIN }, 'INVALID_INPUT', 'CA "Sub 2" keeps its key in the vault, not on a token: it needs no PIN');

  // The key never leaves the token (the file as the save dialog answered it).
  session.grants.grantFile(join(dir, 'root.pfx'));
  await fails(api, 'ca.export', { id: root.id, format: 'pfx', file: join(dir, 'root.pfx'), password: 'a long export password 42' }, 'CA_KEY_NOT_EXPORTABLE', 'CA "Root" has its key on token "App Token", which never lets it out: export its certificate (pem, der or p7b) instead');

  // ca.import with a key on the token: the root's own certificate under another name adopts the same key.
  // ca.get says where the key lives (the CA panel shows it), never the PIN; a vault key has no token.
  const rootDetails = await call(api, 'ca.get', { id: root.id });
  assert.deepEqual(rootDetails.tokenKey, { module: SOFTHSM_MODULE, token: 'App Token', serial, keyLabel: 'app-root' });
  assert.ok(serial !== '' && !JSON.stringify(rootDetails).includes(USER_PIN));
  assert.equal((await call(api, 'ca.get', { id: sub2.id })).tokenKey, null);
  const pem = rootDetails.pem;
  await fails(api, 'ca.import', { name: 'Again', pkcs11: { module: SOFTHSM_MODULE, token: 'App Token', keyLabel: 'nope', pin: USER_PIN, cert: pem } }, 'TOKEN_KEY_NOT_FOUND', 'token "App Token" holds no private key labelled "nope" (CA "Again")');
  await fails(api, 'ca.import', { name: 'Again', pkcs11: { module: copy.replace('libcopy', 'libother'), token: 'App Token', keyLabel: 'app-root', pin: USER_PIN, cert: pem } }, 'INVALID_INPUT', /is not a known PKCS#11 module/);

  await call(api, 'vault.lock', {});
  assert.equal(loadedModuleCount(), 0);
});
