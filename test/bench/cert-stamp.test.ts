// bench/cert-stamp.ts: a stamped certificate is the certificate buildCertificate makes from the same fields
// (the TBSCertificate byte for byte), signed by the CA's key; refusals name what is wrong.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as asn1js from 'asn1js';
import type { San } from '../../shared/domain.js';
import { makeTemplate, type StampFields } from '../../bench/cert-stamp.js';
import { buildCertificate, type CertificateSpec, type Signer } from '../../electron/core/pki/certificates.js';
import { generateKey } from '../../electron/core/pki/keys.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { certErr } from '../helpers/engine-vault.js';

const T0 = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;

/** The TBSCertificate's DER and the signature's bytes of a certificate. */
function parts(der: ArrayBuffer | Uint8Array): { tbs: Buffer; signature: Buffer } {
  const cert = asn1js.fromBER(der).result as asn1js.Sequence;
  const [tbs, , sig] = cert.valueBlock.value as [asn1js.Sequence, asn1js.Sequence, asn1js.BitString];
  return { tbs: Buffer.from(tbs.toBER()), signature: Buffer.from(sig.valueBlock.valueHexView) };
}

async function caSigner(keyType: 'ec-p256' | 'rsa-2048' = 'ec-p256'): Promise<Required<Signer>> {
  const key = await generateKey(keyType);
  const subject = new x509.Name('CN=Stamp Test CA,O=CertDesk');
  const certificate = await buildCertificate({
    subject,
    publicKey: key.publicKey,
    serial: '01',
    notBefore: T0,
    notAfter: new Date(T0.getTime() + 3650 * DAY),
    signer: { privateKey: key.privateKey, keyType },
    ca: { pathLength: 0 },
    keyUsage: ['keyCertSign', 'cRLSign'],
    extendedKeyUsage: [],
    sans: [],
  });
  return { certificate, privateKey: key.privateKey, keyType };
}

function spec(signer: Signer, publicKey: x509.PublicKey, f: StampFields): CertificateSpec {
  return { subject: f.subject, publicKey, serial: f.serial, notBefore: f.notBefore, notAfter: f.notAfter, signer, keyUsage: ['digitalSignature', 'keyAgreement'], extendedKeyUsage: ['clientAuth', 'emailProtection'], sans: f.sans };
}

test('a stamped certificate has the TBSCertificate buildCertificate makes from the same fields, and its CA signed it', async () => {
  const signer = await caSigner();
  const templateKey = await x509.PublicKey.create((await generateKey('ec-p256')).publicKey);
  const holderKey = await x509.PublicKey.create((await generateKey('ec-p256')).publicKey);
  const first: StampFields = { subject: new x509.Name('CN=Template,O=CertDesk'), serial: '0a0b', notBefore: T0, notAfter: new Date(T0.getTime() + 365 * DAY), sans: [{ type: 'email', value: 't@example.com' }] };
  const template = await makeTemplate(spec(signer, templateKey, first));

  const sans: San[] = [{ type: 'email', value: 'ayse.ozturk7@corp.example' }, { type: 'email', value: 'a2@example.org' }];
  const cases: { name: string; fields: StampFields; key: x509.PublicKey }[] = [
    { name: "the template's key", key: templateKey, fields: { subject: new x509.Name('CN=Ayşe Öztürk,O=CertDesk'), serial: '7f112233445566778899aabbccddeeff', notBefore: new Date(T0.getTime() + DAY), notAfter: new Date(T0.getTime() + 731 * DAY), sans } },
    { name: 'another holder key', key: holderKey, fields: { subject: new x509.Name('CN=Σοφία Παπαδοπούλου,O=CertDesk'), serial: '01', notBefore: T0, notAfter: new Date(T0.getTime() + 90 * DAY), sans: [{ type: 'email', value: 's@example.com' }], spki: new Uint8Array(holderKey.rawData) } },
  ];
  for (const c of cases) {
    const stamped = template.stamp(c.fields);
    const reference = await buildCertificate(spec(signer, c.key, c.fields));
    assert.deepEqual(parts(stamped).tbs, parts(reference.rawData).tbs, `${c.name}: the TBSCertificate`);
    const cert = new x509.X509Certificate(stamped);
    assert.equal(await cert.verify({ publicKey: signer.certificate, signatureOnly: true }), true, `${c.name}: the CA's signature`);
    assert.equal(cert.serialNumber, c.fields.serial);
    assert.equal(cert.subject, c.fields.subject.toString());
    assert.equal(cert.notAfter.toISOString(), c.fields.notAfter.toISOString());
  }
  // Each stamp signs anew (ECDSA's random k): two stamps of the same fields differ only in the signature.
  const a = parts(template.stamp(first));
  const b = parts(template.stamp(first));
  assert.deepEqual(a.tbs, b.tbs);
  assert.notDeepEqual(a.signature, b.signature);
});

test('dates are stamped to the whole second (RFC 5280 4.1.2.5), as buildCertificate writes them', async () => {
  const signer = await caSigner();
  const key = await x509.PublicKey.create((await generateKey('ec-p256')).publicKey);
  const f: StampFields = { subject: new x509.Name('CN=Ms'), serial: '05', notBefore: new Date(T0.getTime() + 999), notAfter: new Date(T0.getTime() + 10 * DAY + 456), sans: [{ type: 'dns', value: 'ms.example' }] };
  const stamped = new x509.X509Certificate((await makeTemplate(spec(signer, key, f))).stamp(f));
  assert.equal(stamped.notBefore.toISOString(), '2026-03-01T12:00:00.000Z');
  assert.equal(stamped.notAfter.toISOString(), '2026-03-11T12:00:00.000Z');
  assert.deepEqual(parts(stamped.rawData).tbs, parts((await buildCertificate(spec(signer, key, f))).rawData).tbs);
});

test('templates refuse a non-P-256 CA key and a certificate without names, naming what is wrong', async () => {
  const key = await x509.PublicKey.create((await generateKey('ec-p256')).publicKey);
  const f: StampFields = { subject: new x509.Name('CN=X'), serial: '05', notBefore: T0, notAfter: new Date(T0.getTime() + DAY), sans: [{ type: 'dns', value: 'x.example' }] };
  const rsa = await caSigner('rsa-2048');
  await assert.rejects(makeTemplate(spec(rsa, key, f)), certErr('INVALID_INPUT', 'certificate templates sign with P-256 CA keys only, not rsa-2048'));
  const ec = await caSigner();
  await assert.rejects(makeTemplate(spec(ec, key, { ...f, sans: [] })), certErr('INVALID_INPUT', 'a certificate template needs a subjectAltName to replace (sans is empty)'));
});
