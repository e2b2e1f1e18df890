// Issue 11: the names of an imported CA certificate are read from their bytes, never reinterpreted as Latin-1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import { pkijs } from '../../electron/core/pki/provider.js';
import { toPem } from '../../electron/core/pki/pem.js';
import { importCa } from '../../electron/core/issuance/cas.js';
import { newVault } from '../helpers/engine-vault.js';
import { ecKeys } from '../helpers/csr.js';

test('ca import: a CN in a PrintableString with a Latin-1 byte and a UTF-8 emailAddress are kept as their encoding', async (t) => {
  const { vault } = await newVault(t);
  const keys = await ecKeys();
  const cn = Buffer.from('M\xfcller Root', 'latin1'); // 0xFC is not a PrintableString character
  const email = Buffer.from('jörg@example.com', 'utf8'); // not ASCII, so not an IA5String
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: 7 });
  for (const name of [cert.subject, cert.issuer]) {
    name.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '1.2.840.113549.1.9.1', value: new asn1js.IA5String({ valueHex: email }) as never }));
    name.typesAndValues.push(new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.PrintableString({ valueHex: cn }) as never }));
  }
  cert.notBefore.value = new Date('2025-01-01T00:00:00Z');
  cert.notAfter.value = new Date('2035-01-01T00:00:00Z');
  cert.extensions = [new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: new pkijs.BasicConstraints({ cA: true }).toSchema().toBER(false) })];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey as never);
  await cert.sign(keys.privateKey as never, 'SHA-256');
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));

  const ca = await importCa(vault, {
    name: 'Legacy',
    pem: { cert: Buffer.from(toPem(new Uint8Array(cert.toSchema().toBER(false)), 'CERTIFICATE')), key: Buffer.from(toPem(pkcs8, 'PRIVATE KEY')) },
  });
  // RFC 4514 2.4: a value that cannot be written as text is written as "#" and the hex of its BER encoding.
  // pkijs writes both attributes into one (multi-valued) RDN.
  assert.equal(ca.subject, `CN=#130b${cn.toString('hex')}+E=#1611${email.toString('hex')}`);
  const row = vault.db.prepare('SELECT holder, subject FROM certificates WHERE id = ?').get(ca.certificateId) as { holder: string; subject: string };
  assert.deepEqual(row, { holder: 'Legacy', subject: ca.subject }, 'an unreadable CN is not made the holder; the CA name stands in');
});
