// EC CA keys with explicit curve parameters (`openssl ec -param_enc explicit`) or a compressed point
// match their named-curve certificates by value, import by PEM and by PFX, are stored with the named
// curve and sign; a different key is still KEY_MISMATCH.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { importCa } from '../../electron/core/issuance/cas.js';
import { issueCertificate } from '../../electron/core/issuance/issue.js';
import { getCertRow } from '../../electron/core/issuance/records.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { certErr, counts, newVault, TestClock } from '../helpers/engine-vault.js';
import { opensslCaCert, serialValue, type OpensslCa } from '../helpers/openssl-ca.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const PASSWORD = 'Explicit-Curve-9';
const nowClock = (): TestClock => new TestClock(new Date(Math.floor(Date.now() / 1000) * 1000).toISOString());

/** The OID of the EC key's parameters, or 'explicit' when they are a SEQUENCE (SpecifiedECDomain). */
function curveEncoding(spkiOrPkcs8Der: Uint8Array, kind: 'spki' | 'pkcs8'): string {
  const root = asn1js.fromBER(spkiOrPkcs8Der).result as asn1js.Sequence;
  const algorithm = root.valueBlock.value[kind === 'spki' ? 0 : 1] as asn1js.Sequence;
  const params = algorithm.valueBlock.value[1];
  return params instanceof asn1js.ObjectIdentifier ? params.valueBlock.toString() : params instanceof asn1js.Sequence ? 'explicit' : 'other';
}

interface Made {
  readonly dir: string;
  readonly ca: OpensslCa;
  /** The CA key re-written by openssl with explicit parameters (traditional "EC PRIVATE KEY" PEM). */
  readonly explicitKeyFile: string;
}

function makeCa(t: TestContext, curve: 'P-256' | 'P-384', extra: string[] = []): Made {
  const dir = tempDir(t);
  const keyFile = join(dir, 'named.key');
  runOk('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${curve}`, '-out', keyFile]);
  const ca = opensslCaCert(dir, 'ca', keyFile, `/O=Explicit Curves/CN=Explicit ${curve} Root`);
  const explicitKeyFile = join(dir, 'explicit.key');
  runOk('openssl', ['ec', '-in', keyFile, '-param_enc', 'explicit', ...extra, '-out', explicitKeyFile]);
  return { dir, ca, explicitKeyFile };
}

for (const curve of ['P-256', 'P-384'] as const) {
  test(`${curve} key with explicit parameters: PEM import matches its certificate, is stored with the named curve and signs`, async (t) => {
    if (!needTools(t, 'openssl')) return;
    const { ca, explicitKeyFile } = makeCa(t, curve);
    const explicitDer = createPrivateKey(readFileSync(explicitKeyFile)).export({ format: 'der', type: 'pkcs8' });
    assert.equal(curveEncoding(explicitDer, 'pkcs8'), 'explicit', 'the input really spells the curve out');

    const { vault } = await newVault(t, { clock: nowClock() });
    const imported = await importCa(vault, { name: 'Explicit', pem: { cert: readFileSync(ca.certFile), key: readFileSync(explicitKeyFile) } });
    assert.equal(imported.subject, ca.subject);
    assert.equal(serialValue(imported.serial), serialValue(ca.serial));
    assert.equal(imported.keyType, curve === 'P-256' ? 'ec-p256' : 'ec-p384');

    const stored = vault.loadKey(getCertRow(vault, imported.certificateId)!.key_id!);
    const namedOid = curve === 'P-256' ? '1.2.840.10045.3.1.7' : '1.3.132.0.34';
    assert.equal(curveEncoding(stored, 'pkcs8'), namedOid, 'stored PKCS#8 names the curve');
    const namedDer = createPrivateKey(readFileSync(ca.keyFile)).export({ format: 'der', type: 'pkcs8' });
    assert.deepEqual(Buffer.from(stored), namedDer, 'stored key is the named-curve encoding of the same key');

    // Signing works and the signature verifies under the certificate's key.
    const leaf = await issueCertificate(vault, { ca: 'Explicit', profile: 'user', name: 'Dana', sans: [{ type: 'email', value: 'dana@example.com' }], keyType: 'ec-p256', days: 7 });
    const caCert = new x509.X509Certificate(readFileSync(ca.certFile, 'utf8'));
    assert.equal(await new x509.X509Certificate(leaf.record.pem).verify({ publicKey: caCert.publicKey, signatureOnly: true }), true);
  });
}

test('explicit parameters and a compressed point in a PFX: importCa matches by value; openssl-made file', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { dir, ca, explicitKeyFile } = makeCa(t, 'P-256', ['-conv_form', 'compressed']);
  const pfxFile = join(dir, 'explicit.pfx');
  runOk('openssl', ['pkcs12', '-export', '-inkey', explicitKeyFile, '-in', ca.certFile, '-passout', `pass:${PASSWORD}`, '-out', pfxFile]);
  const { vault } = await newVault(t, { clock: nowClock() });
  const imported = await importCa(vault, { name: 'Explicit PFX', pfx: { data: readFileSync(pfxFile), password: PASSWORD } });
  assert.equal(imported.subject, ca.subject);
  assert.equal(serialValue(imported.serial), serialValue(ca.serial));
  const stored = vault.loadKey(getCertRow(vault, imported.certificateId)!.key_id!);
  assert.equal(curveEncoding(stored, 'pkcs8'), '1.2.840.10045.3.1.7');
  assert.deepEqual(Buffer.from(stored), createPrivateKey(readFileSync(ca.keyFile)).export({ format: 'der', type: 'pkcs8' }));
});

test('a different key is still KEY_MISMATCH, also when written with explicit parameters', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const { dir, ca } = makeCa(t, 'P-256');
  const otherFile = join(dir, 'other.key');
  writeFileSync(otherFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'sec1' }));
  const otherExplicit = join(dir, 'other-explicit.key');
  runOk('openssl', ['ec', '-in', otherFile, '-param_enc', 'explicit', '-out', otherExplicit]);
  const { vault } = await newVault(t, { clock: nowClock() });
  const empty = counts(vault.db);
  for (const key of [otherFile, otherExplicit]) {
    await assert.rejects(
      importCa(vault, { name: 'Mismatch', pem: { cert: readFileSync(ca.certFile), key: readFileSync(key) } }),
      certErr('KEY_MISMATCH', 'the private key does not belong to the CA certificate'),
    );
  }
  assert.deepEqual(counts(vault.db), empty, 'refused imports write nothing');
});
