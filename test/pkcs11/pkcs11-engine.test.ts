// Issue 15, the token code's pure parts and its wiring: the token reference sealed in the vault, RFC 8017
// DigestInfo, CKA_EC_POINT in both encodings, the CKR_ to CertDeskError mapping (CKR_PIN_LOCKED and a removed
// device included, which SoftHSM cannot be made to return), the crypto provider's dispatch of an external key,
// signing with one staying off the worker threads, and the well-known module list.
import assert from 'node:assert/strict';
import { constants, createHash, generateKeyPairSync, privateEncrypt } from 'node:crypto';
import { test } from 'node:test';
import { CertDeskError } from '../../shared/errors.js';
import { ecSpki, rsaSpki } from '../../electron/core/pkcs11/token-keys.js';
import { digestInfo, tokenPrivateKey } from '../../electron/core/pkcs11/token-key.js';
import { encodeTokenReference, isTokenReference, parseTokenReference } from '../../electron/core/pkcs11/token-ref.js';
import { CKR, tokenError } from '../../electron/core/pkcs11/token-errors.js';
import { knownModules } from '../../electron/core/pkcs11/known-modules.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { signCrlOffThread } from '../../electron/core/workers/off-thread.js';
import { SOFTHSM_MODULE } from '../helpers/softhsm.js';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

test('a token reference round-trips, is told apart from a PKCS#8 and a quorum envelope, and a damaged one is VAULT_CORRUPT', () => {
  const ref = { module: '/usr/lib/softhsm/libsofthsm2.so', token: 'Root Token', serial: 'abc123', id: '0a0b', label: 'Root' };
  const bytes = encodeTokenReference(ref);
  assert.ok(isTokenReference(bytes));
  assert.deepEqual(parseTokenReference(bytes, 'k1'), ref);
  assert.equal(isTokenReference(new Uint8Array([0x30, 0x82, 1, 2, 3])), false);
  assert.equal(isTokenReference(Buffer.from('CDQE\x01rest')), false);
  const bad = Buffer.from(bytes);
  bad[4] = 2;
  assert.throws(() => parseTokenReference(bad, 'k1'), (e: CertDeskError) => e.code === 'VAULT_CORRUPT' && e.message === 'private key k1: its token reference has version 2, this CertDesk reads version 1');
  const noId = Buffer.concat([Buffer.from('CDTK\x01'), Buffer.from(JSON.stringify({ ...ref, id: undefined }))]);
  assert.throws(() => parseTokenReference(noId, 'k1'), /lacks its id/);
  assert.ok(!Buffer.from(bytes).toString('latin1').toLowerCase().includes('pin'));
});

test('DigestInfo is RFC 8017 9.2 note 1 prefix || hash; EC points read bare and DER-wrapped; RSA modulus with a leading zero', () => {
  const data = Buffer.from('tbs');
  assert.equal(digestInfo('SHA-256', data).toString('hex'), '3031300d060960864801650304020105000420' + createHash('sha256').update(data).digest('hex'));
  assert.equal(digestInfo('SHA-384', data).length, 19 + 48);
  assert.throws(() => digestInfo('SHA-1', data), /SHA-1 is not supported/);

  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const jwk = publicKey.export({ format: 'jwk' });
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  assert.deepEqual(Buffer.from(ecSpki('ec-p384', point)), spki);
  assert.deepEqual(Buffer.from(ecSpki('ec-p384', Buffer.concat([Buffer.from([4, 97]), point]))), spki);
  assert.throws(() => ecSpki('ec-p384', point.subarray(1)), (e: CertDeskError) => e.code === 'PKCS11_MODULE_FAILED');

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
  const r = rsa.export({ format: 'jwk' });
  const n = Buffer.concat([Buffer.from([0]), Buffer.from(r.n!, 'base64url')]);
  assert.deepEqual(Buffer.from(rsaSpki(n, Buffer.from([1, 0, 1]))), rsa.export({ type: 'spki', format: 'der' }));
});

test('CKR_ codes map to the token errors; messages never carry a PIN', () => {
  const p11 = (name: string, code: number) => Object.assign(new Error(name), { name: 'Pkcs11Error', code });
  const place = { module: '/m.so', token: 'T', ca: 'Root' };
  const cases: [number, string, string][] = [
    [CKR.PIN_INCORRECT, 'TOKEN_PIN_INCORRECT', 'token "T" (CA "Root") in PKCS#11 module /m.so refused the PIN; one try is left before the PIN locks; nothing was signed'],
    [CKR.PIN_LOCKED, 'TOKEN_PIN_LOCKED', `the user PIN of token "T" (CA "Root") in PKCS#11 module /m.so is locked: the token's security officer must unlock or reset it; nothing was signed`],
    [CKR.DEVICE_REMOVED, 'TOKEN_NOT_PRESENT', 'token "T" is not present in PKCS#11 module /m.so (CA "Root"): insert it, or check the module and label'],
    [CKR.TOKEN_NOT_PRESENT, 'TOKEN_NOT_PRESENT', 'token "T" is not present in PKCS#11 module /m.so (CA "Root"): insert it, or check the module and label'],
    [CKR.DEVICE_ERROR, 'PKCS11_MODULE_FAILED', 'token "T" (CA "Root") in PKCS#11 module /m.so: signing failed (CKR_DEVICE_ERROR)'],
  ];
  for (const [code, expected, message] of cases) {
    const e = tokenError(p11(code === CKR.DEVICE_ERROR ? 'CKR_DEVICE_ERROR' : 'CKR_X', code), place, 'signing', code === CKR.PIN_INCORRECT ? 'one try is left before the PIN locks' : '');
    assert.equal(e.code, expected);
    assert.equal(e.message, message);
    assert.deepEqual(e.details, { module: '/m.so', token: 'T', ca: 'Root' });
  }
  const passthrough = new CertDeskError('TOKEN_KEY_NOT_FOUND', 'x', {});
  assert.equal(tokenError(passthrough, place, 'signing'), passthrough);
});

test('the crypto provider sends an external key to its own sign function: @peculiar/x509 certificates and CRLs verify', async () => {
  // A "token" that is node:crypto behind CKM_RSA_PKCS: PKCS#1 v1.5 type 1 padding of the input as given (the
  // DigestInfo), which is privateEncrypt with RSA_PKCS1_PADDING. (The EC path is run on SoftHSM in pkcs11-roots.)
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const calls: [number, string][] = [];
  const key = tokenPrivateKey('rsa-2048', { rsaPkcs: 0x1, ecdsa: 0x1041 }, (mechanism, input) => {
    calls.push([mechanism, input.subarray(0, 19).toString('hex')]);
    return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, input);
  });
  assert.equal(key.extractable, false);
  assert.deepEqual(key.usages, ['sign']);
  const name = new x509.Name('CN=External');
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '01',
    subject: name,
    issuer: name,
    notBefore: new Date('2026-01-01'),
    notAfter: new Date('2027-01-01'),
    publicKey: new x509.PublicKey(spki),
    signingKey: key as never,
    signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  });
  // The token got CKM_RSA_PKCS over a SHA-256 DigestInfo.
  assert.deepEqual(calls, [[0x1, '3031300d060960864801650304020105000420']]);
  assert.ok(await cert.verify({ publicKey: new x509.PublicKey(spki), signatureOnly: true }));

  // CRL signing with an external key stays on this thread (a token session cannot cross to a worker) and verifies.
  const der = await signCrlOffThread({ issuerDer: new Uint8Array(cert.rawData), privateKey: key as never, keyType: 'rsa-2048', crlNumber: 1, thisUpdate: new Date('2026-02-01'), nextUpdate: new Date('2026-03-01'), entries: [{ serial: '0a', revokedAt: new Date('2026-01-15'), reason: 'keyCompromise' }] });
  const crl = new x509.X509Crl(der);
  assert.ok(await crl.verify({ publicKey: new x509.PublicKey(spki) }));
  assert.equal(calls.length, 3); // the CRL template and the CRL with its entry
});

test('known modules: only files that exist; SoftHSM2 where it is installed', () => {
  const here = knownModules();
  for (const m of here) assert.ok(existsSync(m.path), m.path);
  assert.equal(new Set(here.map((m) => m.path)).size, here.length);
  if (existsSync(SOFTHSM_MODULE)) assert.ok(here.some((m) => m.path === SOFTHSM_MODULE && m.name === 'SoftHSM2'));
  assert.deepEqual(knownModules('win32').filter((m) => !existsSync(m.path)), []);
});

test('pkcs11js is a Node-API addon: one binary for Node and Electron (no per-runtime build, unlike better-sqlite3)', () => {
  const addon = join(dirname(createRequire(import.meta.url).resolve('pkcs11js/package.json')), 'build', 'Release', 'pkcs11.node');
  const text = readFileSync(addon).toString('latin1');
  // Node-API addons export napi_register_module_v1; V8-API addons export node_register_module_v<ABI>, tied to one runtime.
  assert.ok(text.includes('napi_register_module_v1'), `${addon} does not export napi_register_module_v1`);
  assert.doesNotMatch(text, /node_register_module_v\d+/);
});
