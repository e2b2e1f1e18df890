// Issue 11: RSA public keys that come from outside have a sane exponent (odd, at least 65537) and an odd modulus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { checkForeignPublicKey, rsaPublicNumbers } from '../../electron/core/pki/public-key-checks.js';
import { createCa, importCa } from '../../electron/core/issuance/cas.js';
import { signCsr } from '../../electron/core/issuance/issue.js';
import { certErr, counts, newVault } from '../helpers/engine-vault.js';
import { handCsr, modulusOf, opensslCsr, rsaSpki } from '../helpers/csr.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools, runOk } from '../helpers/tools.js';

const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits });
const spkiOf = (k: ReturnType<typeof rsa>) => new Uint8Array(k.publicKey.export({ format: 'der', type: 'spki' }));

test('checkForeignPublicKey: exponent and modulus rules of FIPS 186-4, then the type and size rules', () => {
  const good = spkiOf(rsa(2048));
  const n = modulusOf(good);
  assert.deepEqual(rsaPublicNumbers(good), { modulus: n, exponent: 65537n, bits: 2048 });
  assert.equal(checkForeignPublicKey(good, 'k'), 'rsa-2048');
  assert.equal(checkForeignPublicKey(rsaSpki(n, 65539n), 'k'), 'rsa-2048', 'another odd exponent above 65537 is fine');

  assert.throws(() => checkForeignPublicKey(rsaSpki(n, 1n), 'k'), certErr('WEAK_KEY', 'k: RSA public exponent 1 is too small (FIPS 186-4 requires an odd exponent of at least 65537)'));
  assert.throws(() => checkForeignPublicKey(rsaSpki(n, 3n), 'k'), certErr('WEAK_KEY', 'k: RSA public exponent 3 is too small'));
  assert.throws(() => checkForeignPublicKey(rsaSpki(n, 65535n), 'k'), certErr('WEAK_KEY', 'k: RSA public exponent 65535 is too small'));
  assert.throws(() => checkForeignPublicKey(rsaSpki(n, 65538n), 'k'), certErr('WEAK_KEY', 'k: RSA public exponent 65538 is even'));
  assert.throws(() => checkForeignPublicKey(rsaSpki(n, (1n << 256n) + 1n), 'k'), certErr('UNSUPPORTED_KEY', 'k: RSA public exponent of 257 bits is too large (FIPS 186-4 requires it below 2^256)'));
  assert.throws(() => checkForeignPublicKey(rsaSpki(n + 1n, 65537n), 'k'), certErr('WEAK_KEY', 'k: the RSA modulus (2048 bits) is even'));
  assert.throws(() => checkForeignPublicKey(rsaSpki(-n, 65537n), 'k'), certErr('WEAK_KEY', 'k: the RSA modulus is zero or negative'));
  // Size stays keys.ts's rule, reached once the exponent and modulus pass.
  assert.throws(() => checkForeignPublicKey(spkiOf(rsa(1024)), 'k'), certErr('WEAK_KEY', 'k: RSA-1024 is too weak'));
  assert.throws(() => checkForeignPublicKey(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x00]), 'k'), certErr('INVALID_INPUT', 'k: the public key cannot be parsed'));

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });
  assert.equal(rsaPublicNumbers(new Uint8Array(ec)), null);
  assert.equal(checkForeignPublicKey(new Uint8Array(ec), 'k'), 'ec-p256');
});

test('sign-csr refuses e = 3, e = 1 and an even modulus, naming the key and not the signature', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { vault } = await newVault(t);
  await createCa(vault, { name: 'Root', subject: 'CN=Key Check Root', keyType: 'ec-p256', days: 3650 });
  const dir = tempDir(t);
  const before = counts(vault.db);

  // e = 3: a real key with a valid self-signature (openssl genrsa -3).
  runOk('openssl', ['genrsa', '-3', '-out', 'e3.key', '2048'], { cwd: dir });
  const e3 = opensslCsr(dir, 'e3.csr', '/CN=e3.example.com', ['subjectAltName=DNS:e3.example.com'], 'e3.key');
  await assert.rejects(signCsr(vault, { ca: 'Root', profile: 'device', csr: e3 }), certErr('WEAK_KEY', 'csr public key: RSA public exponent 3 is too small'));

  // e = 1 and an even modulus: no signature can be made with these keys, so the request is signed with another
  // RSA key. The key check runs first, so the error is about the key, not CSR_BAD_SIGNATURE.
  const signing = rsa(2048);
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const signingKey = await webcrypto.subtle.importKey('pkcs8', signing.privateKey.export({ format: 'der', type: 'pkcs8' }), alg, false, ['sign']);
  const n = modulusOf(spkiOf(signing));
  const cn = (v: string) => [['2.5.4.3', new asn1js.Utf8String({ value: v })]] as [string, asn1js.BaseBlock][];
  const e1 = await handCsr(cn('e1'), rsaSpki(n, 1n), signingKey);
  await assert.rejects(signCsr(vault, { ca: 'Root', profile: 'device', csr: e1 }), certErr('WEAK_KEY', 'csr public key: RSA public exponent 1 is too small'));
  const even = await handCsr(cn('even'), rsaSpki(n - 1n, 65537n), signingKey);
  await assert.rejects(signCsr(vault, { ca: 'Root', profile: 'device', csr: even }), certErr('WEAK_KEY', 'csr public key: the RSA modulus (2048 bits) is even'));
  // The control: the same construction with the signing key's own public key verifies and reaches the profile.
  const own = await handCsr(cn('own.example.com'), spkiOf(signing), signingKey);
  await assert.rejects(signCsr(vault, { ca: 'Root', profile: 'device', csr: own }), certErr('PROFILE_VIOLATION', 'the Device profile needs at least one DNS name or device ID'));
  const other = await handCsr(cn('other'), spkiOf(rsa(2048)), signingKey);
  await assert.rejects(signCsr(vault, { ca: 'Root', profile: 'device', csr: other }), certErr('CSR_BAD_SIGNATURE', 'csr: the request\'s self-signature does not verify'));
  assert.deepEqual(counts(vault.db), before, 'refused requests write nothing');
});

test('ca import refuses a CA certificate whose RSA exponent is 3', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { vault } = await newVault(t);
  const dir = tempDir(t);
  runOk('openssl', ['genrsa', '-3', '-out', 'ca.key', '3072'], { cwd: dir });
  runOk('openssl', ['req', '-x509', '-key', 'ca.key', '-out', 'ca.pem', '-days', '100', '-subj', '/CN=Exponent Three CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { cwd: dir });
  const before = counts(vault.db);
  await assert.rejects(
    importCa(vault, { name: 'E3', pem: { cert: readFileSync(join(dir, 'ca.pem')), key: readFileSync(join(dir, 'ca.key')) } }),
    certErr('WEAK_KEY', 'cert public key: RSA public exponent 3 is too small'),
  );
  assert.deepEqual(counts(vault.db), before);
});
