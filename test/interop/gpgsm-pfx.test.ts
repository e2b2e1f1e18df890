// GnuPG's gpgsm 2.2 (Kleopatra) imports every legacy PFX CertDesk writes; a file whose certificate bag salt hits
// gpgsm's key derivation fault (pkcs12-gpgsm.ts) is refused by it as a bad password, which shows the
// test would catch a writer that did not avoid such salts. And on OpenSSL-made 3DES files, which do
// not avoid them, gpgsmMisderives predicts gpgsm's verdict file by file.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { buildPfx, parsePfx } from '../../electron/core/pki/pkcs12.js';
import { computeMac } from '../../electron/core/pki/pkcs12-cipher.js';
import { gpgsmMisderives } from '../../electron/core/pki/pkcs12-gpgsm.js';
import { KDF_ID, bmpPassword, pkcs12Kdf } from '../../electron/core/pki/pkcs12-kdf.js';
import { gpgsmStringToKey } from '../helpers/gpgsm-kdf.js';
import { fixture } from '../helpers/pfx-fixtures.js';
import { needTools, run, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const PASSWORD = 'Gpgsm-Legacy-2024'; // gpgsm 2.2 takes at most 31 characters
const FILES = 100;
const ITERATIONS = 10_000; // buildPfx's legacy default

/** A GnuPG home of its own (loopback pinentry allowed); its daemons are stopped, then it is removed, when the test ends. */
function gnupgHome(t: TestContext): { env: NodeJS.ProcessEnv } {
  const home = mkdtempSync(join(tmpdir(), 'gpgsm-'));
  writeFileSync(join(home, 'gpg-agent.conf'), 'allow-loopback-pinentry\n');
  const env = { ...process.env, GNUPGHOME: home, LC_ALL: 'C' };
  t.after(() => {
    run('gpgconf', ['--kill', 'all'], { env }); // gpg-agent and the dirmngr gpgsm starts
    rmSync(home, { recursive: true, force: true });
  });
  return { env };
}

function gpgsmImport(env: NodeJS.ProcessEnv, file: string, password: string) {
  return run('gpgsm', ['--batch', '--pinentry-mode', 'loopback', '--passphrase-fd', '0', '--import', file], { env, input: `${password}\n` });
}

const child = (block: unknown, i: number): asn1js.AsnType => (block as asn1js.Constructed).valueBlock.value[i]!;
const octets = (block: asn1js.AsnType): Uint8Array => (block as asn1js.OctetString).valueBlock.valueHexView;
const decode = (bytes: Uint8Array): asn1js.AsnType => asn1js.fromBER(bytes).result;

/** The parts of one of our PFX files (primitive OCTET STRINGs throughout) this test rewrites. */
function dissect(der: Uint8Array) {
  const pfx = decode(der);
  const authSafe = octets(child(child(child(pfx, 1), 1), 0)); // ContentInfo { data, [0] OCTET STRING }
  // The first ContentInfo: EncryptedData { version, EncryptedContentInfo { type, algorithm, [0] IMPLICIT ciphertext } }
  const encryptedContentInfo = child(child(child(child(decode(authSafe), 0), 1), 0), 1);
  const params = child(child(encryptedContentInfo, 1), 1);
  const macData = child(pfx, 2);
  return {
    authSafe,
    certSalt: octets(child(params, 0)),
    certCiphertext: (child(encryptedContentInfo, 2) as asn1js.Primitive).valueBlock.valueHexView,
    mac: octets(child(child(macData, 0), 1)),
    macSalt: octets(child(macData, 1)),
  };
}

function replaceOnce(buf: Buffer, from: Uint8Array, to: Uint8Array): void {
  assert.equal(from.length, to.length);
  const at = buf.indexOf(from);
  assert.ok(at >= 0 && buf.indexOf(from, at + 1) === -1, 'the bytes to replace occur exactly once');
  buf.set(to, at);
}

/** A salt for which gpgsm 2.2 derives a wrong 3DES key at ITERATIONS (found with both implementations). */
function misderivedSalt(): Uint8Array {
  const bmp = bmpPassword(PASSWORD);
  for (;;) {
    const salt = randomBytes(16);
    const first = pkcs12Kdf('sha1', bmp, salt, KDF_ID.key, ITERATIONS, 20);
    if (!gpgsmMisderives(bmp, salt, first, 24)) continue;
    const rfc = pkcs12Kdf('sha1', bmp, salt, KDF_ID.key, ITERATIONS, 24);
    assert.notDeepEqual(Buffer.from(gpgsmStringToKey(KDF_ID.key, salt, ITERATIONS, PASSWORD, 24)), Buffer.from(rfc));
    return salt;
  }
}

function tripleDes(decrypt: boolean, salt: Uint8Array, data: Uint8Array): Buffer {
  const bmp = bmpPassword(PASSWORD);
  const key = pkcs12Kdf('sha1', bmp, salt, KDF_ID.key, ITERATIONS, 24);
  const iv = pkcs12Kdf('sha1', bmp, salt, KDF_ID.iv, ITERATIONS, 8);
  const c = decrypt ? createDecipheriv('des-ede3-cbc', key, iv) : createCipheriv('des-ede3-cbc', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

/**
 * `der` with its certificate bag re-encrypted under `salt` (RFC 7292 derivation, same lengths) and
 * its MAC recomputed: a valid PKCS#12 file that only gpgsm's faulty derivation cannot open.
 */
function withCertSalt(der: Uint8Array, salt: Uint8Array): Buffer {
  const parts = dissect(der);
  const plain = tripleDes(true, parts.certSalt, parts.certCiphertext);
  const out = Buffer.from(der);
  replaceOnce(out, parts.certSalt, salt);
  replaceOnce(out, parts.certCiphertext, tripleDes(false, salt, plain));
  const mac = computeMac({ hash: 'sha1', salt: parts.macSalt, iterations: ITERATIONS }, bmpPassword(PASSWORD), dissect(out).authSafe);
  replaceOnce(out, parts.mac, mac);
  return out;
}

test(`gpgsm 2.2 imports ${FILES} legacy PFX files CertDesk writes, and refuses one built with a misderived salt`, { timeout: 300_000 }, async (t) => {
  if (!needTools(t, 'gpgsm', 'gpgconf', 'gpg-agent')) return; // Debian: gpgsm (with gpgconf) and gpg-agent
  const { env } = gnupgHome(t);
  const dir = tempDir(t);
  const f = await fixture('rsa-2048');
  const build = () => buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: f.chain, password: PASSWORD, encryption: 'legacy', friendlyName: 'gpgsm' });

  // The negative control first: a valid file (our reader opens it) that gpgsm refuses.
  const original = await build();
  const broken = withCertSalt(original, misderivedSalt());
  assert.notDeepEqual(broken, Buffer.from(original));
  const back = await parsePfx(broken, PASSWORD);
  assert.deepEqual(Buffer.from(back.certificate), Buffer.from(f.leaf), 'the rewritten file is valid PKCS#12');
  const brokenFile = join(dir, 'misderived.pfx');
  writeFileSync(brokenFile, broken);
  const refused = gpgsmImport(env, brokenFile, PASSWORD);
  assert.notEqual(refused.status, 0, `gpgsm should refuse the misderived file:\n${refused.stderr}`);
  assert.match(refused.stderr, /possibly bad passphrase given/);
  assert.doesNotMatch(refused.stderr, /secret keys read: 1/);
  // The same rewrite with a salt gpgsm derives right imports: the refusal above is the salt's doing.
  let goodSalt = randomBytes(16);
  while (gpgsmMisderives(bmpPassword(PASSWORD), goodSalt, pkcs12Kdf('sha1', bmpPassword(PASSWORD), goodSalt, KDF_ID.key, ITERATIONS, 20), 24)) goodSalt = randomBytes(16);
  const controlFile = join(dir, 'rewritten-good-salt.pfx');
  writeFileSync(controlFile, withCertSalt(original, goodSalt));
  const control = gpgsmImport(env, controlFile, PASSWORD);
  assert.equal(control.status, 0, `gpgsm refused the control file:\n${control.stderr}`);
  assert.match(control.stderr, /secret keys read: 1\n/);

  let imported = 0;
  for (let n = 0; n < FILES; n++) {
    const file = join(dir, `legacy-${n}.pfx`);
    writeFileSync(file, n === 0 ? original : await build());
    const r = gpgsmImport(env, file, PASSWORD);
    assert.equal(r.status, 0, `gpgsm refused file ${n}:\n${r.stderr}`);
    assert.match(r.stderr, /secret keys read: 1\n/, `file ${n}`);
    assert.doesNotMatch(r.stderr, /bad passphrase|error/i, `file ${n}`);
    imported++;
  }
  assert.equal(imported, FILES);
});

const pem = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${(Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;

/** Salt and iteration count of both 3DES bags of an OpenSSL-made PFX (certificates first, then the key). */
function opensslBagParams(der: Uint8Array): { salt: Uint8Array; iterations: number }[] {
  const authSafe = decode(octets(child(child(child(decode(der), 1), 1), 0)));
  const certParams = child(child(child(child(child(child(authSafe, 0), 1), 0), 1), 1), 1);
  const keyContents = decode(octets(child(child(child(authSafe, 1), 1), 0)));
  const keyParams = child(child(child(child(child(keyContents, 0), 1), 0), 0), 1);
  return [certParams, keyParams].map((p) => ({ salt: octets(child(p, 0)), iterations: (child(p, 1) as asn1js.Integer).valueBlock.valueDec }));
}

test('gpgsmMisderives predicts exactly which OpenSSL-made 3DES PFX files gpgsm 2.2 refuses', { timeout: 300_000 }, async (t) => {
  if (!needTools(t, 'gpgsm', 'gpgconf', 'gpg-agent', 'openssl')) return;
  const { env } = gnupgHome(t);
  const dir = tempDir(t);
  const f = await fixture('rsa-2048');
  writeFileSync(join(dir, 'key.pem'), pem('PRIVATE KEY', f.pkcs8));
  writeFileSync(join(dir, 'leaf.pem'), pem('CERTIFICATE', f.leaf));
  const bmp = bmpPassword(PASSWORD);
  let predicted = 0;
  for (let n = 0; n < 200; n++) {
    const file = join(dir, `openssl-${n}.pfx`);
    runOk('openssl', ['pkcs12', '-export', '-inkey', join(dir, 'key.pem'), '-in', join(dir, 'leaf.pem'), '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES',
      '-macalg', 'sha1', '-passout', `pass:${PASSWORD}`, '-out', file]);
    const flagged = opensslBagParams(readFileSync(file)).some(({ salt, iterations }) =>
      gpgsmMisderives(bmp, salt, pkcs12Kdf('sha1', bmp, salt, KDF_ID.key, iterations, 20), 24));
    const r = gpgsmImport(env, file, PASSWORD);
    const imported = r.status === 0 && /secret keys read: 1\n/.test(r.stderr);
    assert.equal(imported, !flagged, `file ${n}: predicted ${flagged ? 'refused' : 'imported'}, gpgsm said:\n${r.stderr}`);
    if (flagged) predicted++;
  }
  console.log(`# gpgsm refused ${predicted} of 200 OpenSSL-made 3DES files, each one predicted`);
});
