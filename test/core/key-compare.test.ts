// Keys compared by value (key-compare.ts, keys.ts keyMatchesSpki): explicit curve parameters and
// compressed points equal their named-curve, uncompressed forms; different keys and unnamed curves do not.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalPkcs8, canonicalSpki, sameKeyValue } from '../../electron/core/pki/key-compare.js';
import { keyMatchesSpki } from '../../electron/core/pki/keys.js';
import { certErr } from '../helpers/engine-vault.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const P256_OID_DER = Buffer.from('06082a8648ce3d030107', 'hex'); // OBJECT IDENTIFIER prime256v1
/** P-256's base point G, uncompressed (SEC 2 2.4.2). */
const P256_G = Buffer.from(
  '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
  'hex',
);

const der = (k: KeyObject, type: 'spki' | 'pkcs8'): Buffer => k.export({ format: 'der', type } as never) as Buffer;

interface Forms {
  named: KeyObject; // private key, named curve
  explicitPkcs8: Buffer; // the same private key, explicit parameters
  explicitSpki: Buffer; // its public key, explicit parameters, uncompressed
  compressedSpki: Buffer; // its public key, named curve, compressed point
}

function forms(t: TestContext): Forms {
  const dir = tempDir(t);
  const named = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const namedFile = join(dir, 'named.pem');
  writeFileSync(namedFile, named.export({ format: 'pem', type: 'sec1' }));
  const out = (name: string, args: string[]): Buffer => {
    runOk('openssl', ['ec', '-in', namedFile, ...args, '-outform', 'DER', '-out', join(dir, name)]);
    return readFileSync(join(dir, name));
  };
  const explicitSec1 = out('explicit.der', ['-param_enc', 'explicit']);
  return {
    named,
    explicitPkcs8: der(createPrivateKey({ key: explicitSec1, format: 'der', type: 'sec1' }), 'pkcs8'),
    explicitSpki: out('explicit-pub.der', ['-param_enc', 'explicit', '-pubout']),
    compressedSpki: out('compressed-pub.der', ['-conv_form', 'compressed', '-pubout']),
  };
}

const spkiKey = (bytes: Uint8Array): KeyObject => createPublicKey({ key: Buffer.from(bytes), format: 'der', type: 'spki' });

test('explicit parameters and a compressed point: same value, canonical forms equal the named-curve encoding', (t) => {
  if (!needTools(t, 'openssl')) return;
  const f = forms(t);
  const namedSpki = der(createPublicKey(f.named), 'spki');
  assert.ok(!f.explicitSpki.includes(P256_OID_DER) && f.explicitSpki.length > namedSpki.length, 'the input spells the curve out');
  assert.equal(f.compressedSpki.length, namedSpki.length - 32, 'the input point is compressed');

  const explicitPriv = createPrivateKey({ key: f.explicitPkcs8, format: 'der', type: 'pkcs8' });
  assert.equal(sameKeyValue(explicitPriv, spkiKey(namedSpki)), true);
  assert.equal(sameKeyValue(f.named, spkiKey(f.explicitSpki)), true);
  assert.equal(sameKeyValue(f.named, spkiKey(f.compressedSpki)), true);
  assert.deepEqual(canonicalSpki(spkiKey(f.explicitSpki)), namedSpki);
  assert.deepEqual(canonicalSpki(spkiKey(f.compressedSpki)), namedSpki);
  assert.deepEqual(canonicalSpki(explicitPriv), namedSpki);

  assert.equal(keyMatchesSpki(f.explicitPkcs8, namedSpki), true);
  assert.equal(keyMatchesSpki(der(f.named, 'pkcs8'), f.compressedSpki), true);
  assert.deepEqual(Buffer.from(canonicalPkcs8(f.explicitPkcs8)), der(f.named, 'pkcs8'), 'stored form: named curve');
});

test('different keys do not match: another EC key, another RSA key, RSA against EC; unparsable SPKI is no match', () => {
  const ec1 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ec2 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const rsa1 = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsa2 = generateKeyPairSync('rsa', { modulusLength: 2048 });
  assert.equal(sameKeyValue(ec1.privateKey, ec1.publicKey), true);
  assert.equal(sameKeyValue(ec1.privateKey, ec2.publicKey), false);
  assert.equal(sameKeyValue(ec1.publicKey, ec384.publicKey), false);
  assert.equal(sameKeyValue(rsa1.privateKey, rsa1.publicKey), true);
  assert.equal(sameKeyValue(rsa1.privateKey, rsa2.publicKey), false);
  assert.equal(sameKeyValue(rsa1.publicKey, ec1.publicKey), false);
  assert.equal(keyMatchesSpki(der(ec1.privateKey, 'pkcs8'), der(ec2.publicKey, 'spki')), false);
  assert.equal(keyMatchesSpki(der(rsa1.privateKey, 'pkcs8'), der(rsa1.publicKey, 'spki')), true);
  assert.equal(keyMatchesSpki(der(rsa1.privateKey, 'pkcs8'), new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00])), false);
  const rsaPkcs8 = der(rsa1.privateKey, 'pkcs8');
  assert.deepEqual(Buffer.from(canonicalPkcs8(rsaPkcs8)), rsaPkcs8, 'RSA keys are stored as given');
  assert.throws(() => canonicalPkcs8(new Uint8Array([1, 2, 3]), 'key'), certErr('INVALID_INPUT', 'key: the private key cannot be parsed as PKCS#8'));
});

test('explicit parameters of no named curve (P-256 with another base point) are UNSUPPORTED_KEY, not a match', (t) => {
  if (!needTools(t, 'openssl')) return;
  const f = forms(t);
  const at = f.explicitSpki.indexOf(P256_G);
  assert.ok(at > 0, 'the explicit parameters hold G');
  const other = createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey).export({ format: 'jwk' });
  const unnamed = Buffer.from(f.explicitSpki);
  Buffer.concat([Buffer.from([4]), Buffer.from(other.x!, 'base64url'), Buffer.from(other.y!, 'base64url')]).copy(unnamed, at);
  const unsupported = certErr('UNSUPPORTED_KEY', "key: the elliptic curve key's parameters are not those of a named curve");
  assert.throws(() => sameKeyValue(f.named, spkiKey(unnamed)), unsupported);
  assert.throws(() => canonicalSpki(spkiKey(unnamed)), unsupported);
  assert.throws(() => keyMatchesSpki(der(f.named, 'pkcs8'), unnamed), unsupported);
});
