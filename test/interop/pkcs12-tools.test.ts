// PKCS#12 interoperability: our files open in OpenSSL 3, Java keytool, GnuTLS certtool and NSS;
// OpenSSL-made files open in parsePfx.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPfx, parsePfx, type PfxEncryption } from '../../electron/core/pki/pkcs12.js';
import { CertDeskError } from '../../shared/errors.js';
import { needTools, run, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';
import { fixture, type KeyKind } from '../helpers/pfx-fixtures.js';

const PASSWORD = 'Interop-Pass-42';
const NON_ASCII = 'P\u00e4ssw\u00f6rd-\u5bc6\u7801'; // 'Pässwörd-密码'
const FRIENDLY = 'certdesk-interop';
// Arguments carry UTF-8; make sure the tools read them that way.
const UTF8_ENV = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' };

async function writePfx(dir: string, kind: KeyKind, encryption: PfxEncryption, password = PASSWORD): Promise<string> {
  const f = await fixture(kind);
  const pfx = await buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: f.chain, password, encryption, friendlyName: FRIENDLY });
  const file = join(dir, `${kind}-${encryption}.pfx`);
  writeFileSync(file, pfx);
  return file;
}

function pem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Writes key, leaf and chain as PEM for `openssl pkcs12 -export`. */
async function writePemInputs(dir: string, kind: KeyKind): Promise<{ key: string; leaf: string; chain: string }> {
  const f = await fixture(kind);
  const files = { key: join(dir, 'key.pem'), leaf: join(dir, 'leaf.pem'), chain: join(dir, 'chain.pem') };
  writeFileSync(files.key, pem('PRIVATE KEY', f.pkcs8));
  writeFileSync(files.leaf, pem('CERTIFICATE', f.leaf));
  writeFileSync(files.chain, f.chain.map((c) => pem('CERTIFICATE', c)).join(''));
  return files;
}

function spki(pkcs8: Uint8Array): Buffer {
  return createPublicKey(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' });
}

async function assertContents(kind: KeyKind, der: Uint8Array, password: string, friendlyName: string | null): Promise<void> {
  const f = await fixture(kind);
  const back = await parsePfx(der, password);
  assert.deepEqual(spki(back.privateKeyPkcs8), spki(f.pkcs8));
  assert.deepEqual(Buffer.from(back.certificate), Buffer.from(f.leaf));
  assert.deepEqual(back.chain.map((c) => Buffer.from(c)), f.chain.map((c) => Buffer.from(c)));
  assert.equal(back.friendlyName, friendlyName);
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

const EXPECTED_INFO: Record<PfxEncryption, string[]> = {
  modern: ['MAC: sha256', 'PBES2, PBKDF2, AES-256-CBC', 'PRF hmacWithSHA256'],
  legacy: ['MAC: sha1', 'PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC', 'Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC'],
};

// ---- our files in other tools ----

for (const kind of ['ec-p256', 'rsa-2048'] as const) {
  for (const encryption of ['modern', 'legacy'] as const) {
    test(`${kind} ${encryption}: OpenSSL 3 reads it without -legacy`, async (t: TestContext) => {
      if (!needTools(t, 'openssl')) return;
      const file = await writePfx(tempDir(t), kind, encryption);
      const info = runOk('openssl', ['pkcs12', '-info', '-noout', '-passin', `pass:${PASSWORD}`, '-in', file]);
      for (const s of EXPECTED_INFO[encryption]) assert.ok(`${info.stdout}${info.stderr}`.includes(s), `openssl -info lacks "${s}"`);
      assert.ok(!/RC2/i.test(`${info.stdout}${info.stderr}`));
      const out = runOk('openssl', ['pkcs12', '-in', file, '-nodes', '-passin', `pass:${PASSWORD}`]).stdout;
      assert.equal(count(out, '-----BEGIN PRIVATE KEY-----'), 1);
      assert.equal(count(out, '-----BEGIN CERTIFICATE-----'), 2);
      assert.ok(out.includes(`friendlyName: ${FRIENDLY}`));
      assert.ok(out.includes('localKeyID:'));
      const wrong = run('openssl', ['pkcs12', '-info', '-noout', '-passin', 'pass:wrong', '-in', file]);
      assert.notEqual(wrong.status, 0);
    });

    test(`${kind} ${encryption}: keytool lists a PrivateKeyEntry`, async (t: TestContext) => {
      if (!needTools(t, 'keytool')) return;
      const file = await writePfx(tempDir(t), kind, encryption);
      const r = runOk('keytool', ['-list', '-storetype', 'PKCS12', '-keystore', file, '-storepass', PASSWORD]);
      assert.match(r.stdout, /contains 1 entry/);
      assert.match(r.stdout, new RegExp(`${FRIENDLY}, .*PrivateKeyEntry`));
    });

    test(`${kind} ${encryption}: GnuTLS certtool --p12-info reads it`, async (t: TestContext) => {
      if (!needTools(t, 'certtool')) return;
      const file = await writePfx(tempDir(t), kind, encryption);
      const r = runOk('certtool', ['--p12-info', '--inder', '--password', PASSWORD, '--infile', file]);
      assert.equal(count(r.stdout, '-----BEGIN CERTIFICATE-----'), 2);
      assert.ok(r.stdout.includes('PKCS #8 Encrypted key'));
      assert.ok(r.stdout.includes(`Friendly name: ${FRIENDLY}`));
    });

    test(`${kind} ${encryption}: NSS pk12util imports it`, async (t: TestContext) => {
      if (!needTools(t, 'certutil', 'pk12util')) return;
      const tmp = tempDir(t);
      const file = await writePfx(tmp, kind, encryption);
      const db = `sql:${join(tmp, 'nssdb')}`;
      runOk('mkdir', [join(tmp, 'nssdb')]);
      runOk('certutil', ['-N', '-d', db, '--empty-password']);
      runOk('pk12util', ['-i', file, '-d', db, '-W', PASSWORD]);
      const list = runOk('certutil', ['-L', '-d', db]).stdout;
      assert.match(list, new RegExp(`^${FRIENDLY}\\s+u,u,u`, 'm'));
      const keys = runOk('certutil', ['-K', '-d', db]).stdout;
      assert.ok(keys.includes(FRIENDLY));
    });
  }
}

for (const encryption of ['modern', 'legacy'] as const) {
  test(`non-ASCII password: OpenSSL 3 opens our ${encryption} file`, async (t: TestContext) => {
    if (!needTools(t, 'openssl')) return;
    const file = await writePfx(tempDir(t), 'ec-p256', encryption, NON_ASCII);
    const out = runOk('openssl', ['pkcs12', '-in', file, '-nodes', '-passin', `pass:${NON_ASCII}`], { env: UTF8_ENV }).stdout;
    assert.equal(count(out, '-----BEGIN PRIVATE KEY-----'), 1);
    assert.equal(count(out, '-----BEGIN CERTIFICATE-----'), 2);
  });
}

// ---- OpenSSL-made files in parsePfx ----

const OPENSSL_PROFILES: Record<string, string[]> = {
  default: [],
  '3DES + SHA-1 MAC': ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
};

for (const kind of ['ec-p256', 'rsa-2048'] as const) {
  for (const [profile, args] of Object.entries(OPENSSL_PROFILES)) {
    test(`parsePfx reads an OpenSSL ${profile} file (${kind})`, async (t: TestContext) => {
      if (!needTools(t, 'openssl')) return;
      const dir = tempDir(t);
      const i = await writePemInputs(dir, kind);
      for (const password of [PASSWORD, NON_ASCII]) {
        const out = join(dir, 'openssl.pfx');
        runOk(
          'openssl',
          ['pkcs12', '-export', '-inkey', i.key, '-in', i.leaf, '-certfile', i.chain, '-name', FRIENDLY, '-passout', `pass:${password}`, '-out', out, ...args],
          { env: UTF8_ENV },
        );
        const der = readFileSync(out);
        await assertContents(kind, der, password, FRIENDLY);
        await assert.rejects(parsePfx(der, `${password}x`), (e: unknown) => e instanceof CertDeskError && e.code === 'PFX_BAD_PASSWORD');
      }
    });
  }
}

test('parsePfx reads OpenSSL files with an empty password and without a MAC', async (t: TestContext) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const i = await writePemInputs(dir, 'ec-p256');
  const base = ['pkcs12', '-export', '-inkey', i.key, '-in', i.leaf, '-certfile', i.chain, '-name', FRIENDLY];
  const empty = join(dir, 'empty.pfx');
  runOk('openssl', [...base, '-passout', 'pass:', '-out', empty]);
  await assertContents('ec-p256', readFileSync(empty), '', FRIENDLY);
  const emptyLegacy = join(dir, 'empty-legacy.pfx');
  runOk('openssl', [...base, ...OPENSSL_PROFILES['3DES + SHA-1 MAC']!, '-passout', 'pass:', '-out', emptyLegacy]);
  await assertContents('ec-p256', readFileSync(emptyLegacy), '', FRIENDLY);
  const noMac = join(dir, 'nomac.pfx');
  runOk('openssl', [...base, ...OPENSSL_PROFILES['3DES + SHA-1 MAC']!, '-nomac', '-passout', `pass:${PASSWORD}`, '-out', noMac]);
  await assertContents('ec-p256', readFileSync(noMac), PASSWORD, FRIENDLY);
  await assert.rejects(parsePfx(readFileSync(noMac), 'wrong'), (e: unknown) => e instanceof CertDeskError && e.code === 'PFX_BAD_PASSWORD');
});

test('parsePfx reads openssl -legacy files (RC2-40 certificate bag); a wrong password is PFX_BAD_PASSWORD', async (t: TestContext) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const i = await writePemInputs(dir, 'ec-p256');
  const out = join(dir, 'rc2.pfx');
  runOk('openssl', ['pkcs12', '-export', '-legacy', '-inkey', i.key, '-in', i.leaf, '-certfile', i.chain, '-name', FRIENDLY, '-passout', `pass:${PASSWORD}`, '-out', out]);
  const info = runOk('openssl', ['pkcs12', '-legacy', '-info', '-noout', '-in', out, '-passin', `pass:${PASSWORD}`]).stderr;
  assert.match(info, /pbeWithSHA1And40BitRC2-CBC/, 'the file really holds an RC2-40 bag');
  await assertContents('ec-p256', readFileSync(out), PASSWORD, FRIENDLY);
  await assert.rejects(parsePfx(readFileSync(out), 'wrong'), (e: unknown) => e instanceof CertDeskError && e.code === 'PFX_BAD_PASSWORD');
});
