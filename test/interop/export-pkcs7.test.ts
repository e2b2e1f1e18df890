// Certs-only PKCS#7 read back by openssl: every certificate, byte for byte, in order, DER and PEM.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as asn1js from 'asn1js';
import { buildP7b, p7bPem } from '../../electron/core/export/pkcs7.js';
import { pemBlocks } from '../../electron/core/pki/pem.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { CertDeskError } from '../../shared/errors.js';
import { fixture } from '../helpers/pfx-fixtures.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

async function certs(): Promise<Uint8Array[]> {
  const ec = await fixture('ec-p256');
  const rsa = await fixture('rsa-2048');
  return [ec.leaf, ec.chain[0]!, rsa.leaf, rsa.chain[0]!];
}

/** openssl's subject lines (`subject=C=DE, O=..., CN=...`) as it prints them for each certificate. */
function opensslSubject(der: Uint8Array, dir: string, i: number): string {
  const f = join(dir, `c${i}.der`);
  writeFileSync(f, der);
  return runOk('openssl', ['x509', '-inform', 'DER', '-in', f, '-noout', '-subject']).stdout.trim();
}

test('openssl lists every certificate of the DER and the PEM .p7b, in order and unchanged', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const input = await certs();
  const der = buildP7b(input);
  writeFileSync(join(dir, 'chain.p7b'), der);
  writeFileSync(join(dir, 'chain-pem.p7b'), p7bPem(der));

  const expected = input.map((c, i) => opensslSubject(c, dir, i));
  for (const [file, form] of [
    ['chain.p7b', 'DER'],
    ['chain-pem.p7b', 'PEM'],
  ] as const) {
    const out = runOk('openssl', ['pkcs7', '-inform', form, '-print_certs', '-in', join(dir, file)]).stdout;
    const subjects = out.split('\n').filter((l) => l.startsWith('subject='));
    assert.deepEqual(subjects, expected, `${form}: subjects`);
    const blocks = pemBlocks(out).filter((b) => b.label === 'CERTIFICATE');
    assert.deepEqual(
      blocks.map((b) => Buffer.from(b.der).toString('hex')),
      input.map((c) => Buffer.from(c).toString('hex')),
      `${form}: certificates are not the input bytes`,
    );
  }
  assert.match(p7bPem(der), /^-----BEGIN PKCS7-----\n[A-Za-z0-9+/=\n]+\n-----END PKCS7-----\n$/);
});

test('Java keytool and GnuTLS certtool read the .p7b too', async (t) => {
  if (!needTools(t, 'keytool', 'certtool')) return;
  const dir = tempDir(t);
  const input = await certs();
  const file = join(dir, 'chain.p7b');
  writeFileSync(file, buildP7b(input));
  const owners = runOk('keytool', ['-printcert', '-file', file]).stdout.split('\n').filter((l) => l.startsWith('Owner: '));
  const expected = input.map((c) => `Owner: ${new x509.X509Certificate(c).subject.split(', ').reverse().join(', ')}`);
  assert.deepEqual(owners, expected);
  const info = runOk('certtool', ['--p7-info', '--inder', '--infile', file]).stdout;
  assert.match(info, new RegExp(`Number of certificates: ${input.length}\\b`));
});

test('the structure: signedData, version 1, no digest algorithms, empty id-data content, no signers', async () => {
  const input = await certs();
  const der = buildP7b(input.slice(0, 2));
  const ci = asn1js.fromBER(der).result as asn1js.Sequence;
  assert.equal((ci.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString(), '1.2.840.113549.1.7.2');
  const sd = (ci.valueBlock.value[1] as asn1js.Constructed).valueBlock.value[0] as asn1js.Sequence;
  const [version, digestAlgs, encap, certsTagged, signerInfos] = sd.valueBlock.value as asn1js.AsnType[];
  assert.equal((version as asn1js.Integer).valueBlock.valueDec, 1);
  assert.equal((digestAlgs as asn1js.Set).valueBlock.value.length, 0);
  const encapParts = (encap as asn1js.Sequence).valueBlock.value;
  assert.equal(encapParts.length, 1, 'encapContentInfo carries no content');
  assert.equal((encapParts[0] as asn1js.ObjectIdentifier).valueBlock.toString(), '1.2.840.113549.1.7.1');
  assert.equal(certsTagged!.idBlock.tagClass, 3);
  assert.equal(certsTagged!.idBlock.tagNumber, 0);
  assert.equal((certsTagged as asn1js.Constructed).valueBlock.value.length, 2);
  assert.equal((signerInfos as asn1js.Set).valueBlock.value.length, 0);
  // @peculiar/x509 reads it back as well.
  const chain = new x509.X509Certificates(der);
  assert.equal(chain.length, 2);
});

test('no certificates, or bytes that are not a certificate, are refused naming the entry', async () => {
  const input = await certs();
  const bad = (pattern: RegExp) => (e: unknown) => e instanceof CertDeskError && e.code === 'INVALID_INPUT' && pattern.test(e.message);
  assert.throws(() => buildP7b([]), bad(/^certs: at least one/));
  assert.throws(() => buildP7b([input[0]!, new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])]), bad(/^certs\[1\]: not a DER X\.509 certificate/));
  assert.throws(() => buildP7b([new Uint8Array(0)]), bad(/^certs\[0\]: /));
});
