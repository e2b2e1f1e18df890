// The issuer as altSecurityIdentities' X509:<I> part writes it (windows/ad-mapping.ts windowsIssuerName):
// encoding order, Windows' attribute names, CertNameToStr quoting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as asn1js from 'asn1js';
import { parseDn, toX509Name } from '../../electron/core/pki/names.js';
import { windowsIssuerName } from '../../electron/core/windows/ad-mapping.js';
import { certErr } from '../helpers/engine-vault.js';

const der = (dn: string) => new Uint8Array(toX509Name(parseDn(dn)).toArrayBuffer());

test('RDNs in encoding order, most significant first, joined by "," without spaces', () => {
  assert.equal(windowsIssuerName(der('CN=CertDesk Test CA,O=CertDesk')), 'O=CertDesk,CN=CertDesk Test CA');
  assert.equal(windowsIssuerName(der('CN=Example CA,OU=PKI,L=Berlin,ST=Berlin,C=DE')), 'C=DE,S=Berlin,L=Berlin,OU=PKI,CN=Example CA');
  assert.equal(windowsIssuerName(der('E=pki@example.com,CN=Mail CA,DC=example,DC=com')), 'DC=com,DC=example,CN=Mail CA,E=pki@example.com');
});

test('values with separators or quotes are quoted as CertNameToStr does', () => {
  assert.equal(windowsIssuerName(der('CN=Example CA,O=Acme\\, Inc.')), 'O="Acme, Inc.",CN=Example CA');
  assert.equal(windowsIssuerName(der('CN=Say \\"Hi\\" CA')), 'CN="Say ""Hi"" CA"');
  assert.equal(windowsIssuerName(der('CN=a\\+b\\=c')), 'CN="a+b=c"');
});

test('an unknown attribute type is written as its OID; a value that is not a string as # and hex', () => {
  const atv = (oid: string, value: asn1js.BaseBlock) => new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: oid }), value] })] });
  const name = new asn1js.Sequence({ value: [atv('1.2.3.4', new asn1js.Utf8String({ value: 'x' })), atv('2.5.4.3', new asn1js.Integer({ value: 5 }))] });
  assert.equal(windowsIssuerName(new Uint8Array(name.toBER())), '1.2.3.4=x,CN=#020105');
  assert.throws(() => windowsIssuerName(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05])), certErr('INVALID_NAME', 'issuer: not a DER-encoded X.501 Name'));
});
