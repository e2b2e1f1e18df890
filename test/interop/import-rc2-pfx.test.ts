// CA PFX files whose bags use the PKCS#12 RC2 schemes (what `openssl pkcs12 -export -legacy`,
// OpenSSL 1.x and older Windows write) import through importCa, the path the app and `ca import` use.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { importCa } from '../../electron/core/issuance/cas.js';
import { getCertRow } from '../../electron/core/issuance/records.js';
import { cliSession } from '../helpers/cli.js';
import { certErr, counts, newVault, TestClock } from '../helpers/engine-vault.js';
import { opensslCaCert, serialValue } from '../helpers/openssl-ca.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const PASSWORD = 'Legacy-Export-7';

/** The clock at the current whole second: openssl's certificates are valid from now. */
const nowClock = (): TestClock => new TestClock(new Date(Math.floor(Date.now() / 1000) * 1000).toISOString());

/** The PFX without its MacData (RFC 7292: macData is OPTIONAL). */
function withoutMac(der: Uint8Array): Uint8Array {
  const decoded = asn1js.fromBER(der);
  assert.equal(decoded.offset, der.length);
  const pfx = decoded.result as asn1js.Sequence;
  assert.equal(pfx.valueBlock.value.length, 3, 'the file has a MAC to cut off');
  pfx.valueBlock.value.length = 2;
  return new Uint8Array(pfx.toBER());
}

const CASES = [
  { name: 'openssl -legacy (RC2-40 certificate bag, 3DES key bag), RSA', keyArgs: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'], pbe: ['-legacy'], bagOid: 'pbeWithSHA1And40BitRC2-CBC' },
  { name: 'RC2-128 certificate and key bags, EC P-256', keyArgs: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], pbe: ['-legacy', '-certpbe', 'PBE-SHA1-RC2-128', '-keypbe', 'PBE-SHA1-RC2-128'], bagOid: 'pbeWithSHA1And128BitRC2-CBC' },
] as const;

for (const c of CASES) {
  test(`importCa reads a CA PFX made with ${c.name}; a wrong password is PFX_BAD_PASSWORD`, async (t: TestContext) => {
    if (!needTools(t, 'openssl')) return;
    const dir = tempDir(t);
    const keyFile = join(dir, 'ca.key');
    runOk('openssl', ['genpkey', ...c.keyArgs, '-out', keyFile]);
    const ca = opensslCaCert(dir, 'ca', keyFile, '/C=DE/O=Legacy Tools/CN=Legacy Export Root');
    const pfxFile = join(dir, 'ca.pfx');
    runOk('openssl', ['pkcs12', '-export', ...c.pbe, '-inkey', keyFile, '-in', ca.certFile, '-passout', `pass:${PASSWORD}`, '-out', pfxFile]);
    // The file really uses the scheme under test (openssl needs its legacy provider to say so).
    const info = runOk('openssl', ['pkcs12', '-legacy', '-info', '-noout', '-in', pfxFile, '-passin', `pass:${PASSWORD}`]).stderr;
    assert.match(info, new RegExp(c.bagOid));

    const { vault } = await newVault(t, { clock: nowClock() });
    const empty = counts(vault.db);
    await assert.rejects(
      importCa(vault, { name: 'Legacy', pfx: { data: readFileSync(pfxFile), password: 'not the password' } }),
      certErr('PFX_BAD_PASSWORD', 'wrong password'),
    );
    // Without its MAC the wrong password is only seen when the RC2 decryption of the first bag fails
    // (openssl -nomac would also leave the certificates unencrypted, so the MAC is cut off instead).
    const noMac = withoutMac(readFileSync(pfxFile));
    await assert.rejects(
      importCa(vault, { name: 'Legacy', pfx: { data: noMac, password: 'not the password' } }),
      certErr('PFX_BAD_PASSWORD', 'SafeContents 1', 'could not be decrypted: wrong password'),
    );
    assert.deepEqual(counts(vault.db), empty, 'a refused import writes nothing');
    const viaNoMac = await importCa(vault, { name: 'Legacy without MAC', pfx: { data: noMac, password: PASSWORD } });
    assert.equal(serialValue(viaNoMac.serial), serialValue(ca.serial));
    const { vault: second } = await newVault(t, { clock: nowClock() });

    const imported = await importCa(second, { name: 'Legacy', pfx: { data: readFileSync(pfxFile), password: PASSWORD } });
    assert.equal(imported.subject, ca.subject);
    assert.equal(serialValue(imported.serial), serialValue(ca.serial));
    assert.equal(imported.hasKey, true);
    const row = getCertRow(second, imported.certificateId)!;
    const opensslDer = createPrivateKey(readFileSync(keyFile)).export({ format: 'der', type: 'pkcs8' });
    assert.deepEqual(Buffer.from(second.loadKey(row.key_id!)), opensslDer, 'the stored key is the one openssl wrote');
  });
}

test('certdesk ca import --pfx reads an openssl -legacy CA PFX; a wrong password exits 1 with PFX_BAD_PASSWORD', async (t: TestContext) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const { cd, ok, init } = cliSession(dir, 'cli rc2 passphrase');
  await init();
  runOk('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', join(dir, 'ca.key')]);
  const ca = opensslCaCert(dir, 'ca', join(dir, 'ca.key'), '/O=Legacy Tools/CN=CLI Legacy Root');
  writeFileSync(join(dir, 'pass.txt'), `${PASSWORD}\n`);
  writeFileSync(join(dir, 'wrong.txt'), 'not the password\n');
  runOk('openssl', ['pkcs12', '-export', '-legacy', '-inkey', join(dir, 'ca.key'), '-in', ca.certFile, '-passout', `file:${join(dir, 'pass.txt')}`, '-out', join(dir, 'ca.pfx')]);
  const wrong = cd('ca', 'import', '--name', 'Legacy', '--pfx', 'ca.pfx', '--pfx-password-file', 'wrong.txt', '--json');
  assert.equal(wrong.status, 1);
  assert.equal(wrong.json?.code, 'PFX_BAD_PASSWORD');
  const imported = ok('ca', 'import', '--name', 'Legacy', '--pfx', 'ca.pfx', '--pfx-password-file', 'pass.txt', '--json').json!.ca as { subject: string; serial: string };
  assert.equal(imported.subject, ca.subject);
  assert.equal(serialValue(imported.serial), serialValue(ca.serial));
});
