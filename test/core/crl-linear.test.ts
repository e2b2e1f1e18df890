// CRLs built in linear time (pki/crl-der.ts): the list holds, field by field, what @peculiar/x509's own
// (quadratic) generator puts in it, the signature verifies for P-256, P-384 and RSA, OpenSSL reads and
// verifies a CRL of thousands of entries, and a serial listed twice is refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { KeyType, RevocationReason } from '../../shared/domain.js';
import { buildCertificate, randomSerial } from '../../electron/core/pki/certificates.js';
import { buildCrl, buildCrlDer, crlToPem, type CrlEntry } from '../../electron/core/pki/crl.js';
import { generateKey, signingAlgorithm } from '../../electron/core/pki/keys.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { needTools } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

async function issuer(keyType: KeyType) {
  const key = await generateKey(keyType);
  const certificate = await buildCertificate({
    subject: new x509.Name('CN=CRL Test CA'),
    publicKey: key.publicKey,
    serial: randomSerial(),
    notBefore: new Date('2026-01-01T00:00:00Z'),
    notAfter: new Date('2036-01-01T00:00:00Z'),
    signer: { privateKey: key.privateKey, keyType },
    ca: { pathLength: null },
    keyUsage: ['keyCertSign', 'cRLSign'],
    extendedKeyUsage: [],
    sans: [],
  });
  return { certificate, privateKey: key.privateKey, keyType };
}

const REASONS: RevocationReason[] = ['unspecified', 'keyCompromise', 'superseded', 'cessationOfOperation', 'privilegeWithdrawn', 'aaCompromise'];
const entries = (n: number): CrlEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    // Serials with a high first bit, leading zeros and a single zero byte: the INTEGER encodings that differ.
    serial: i === 0 ? '00' : i === 1 ? '00ff01' : i === 2 ? '80' : randomSerial(),
    revokedAt: new Date(Date.UTC(2026, 0, 1 + (i % 300), 12, 0, 0)),
    reason: REASONS[i % REASONS.length]!,
  }));

test('the CRL holds what the library generator puts in it, and its signature verifies (P-256, P-384, RSA-2048)', async () => {
  for (const keyType of ['ec-p256', 'ec-p384', 'rsa-2048'] as const) {
    const signer = await issuer(keyType);
    const spec = { signer, crlNumber: 42, thisUpdate: new Date('2026-03-01T00:00:00Z'), nextUpdate: new Date('2051-03-01T00:00:00Z'), entries: entries(40) };
    const ours = new x509.X509Crl(await buildCrlDer(spec));
    const library = await x509.X509CrlGenerator.create({
      issuer: signer.certificate.subjectName,
      thisUpdate: spec.thisUpdate,
      nextUpdate: spec.nextUpdate,
      signingKey: signer.privateKey,
      signingAlgorithm: signingAlgorithm(keyType),
      extensions: (await buildCrl({ ...spec, entries: [] })).extensions,
      entries: spec.entries.map((e) => (e.reason === 'unspecified' ? { serialNumber: e.serial, revocationDate: e.revokedAt } : { serialNumber: e.serial, revocationDate: e.revokedAt, reason: ({ keyCompromise: 1, superseded: 4, cessationOfOperation: 5, privilegeWithdrawn: 9, aaCompromise: 10 } as Record<string, number>)[e.reason] })),
    });
    // The same list as the library's, field by field (the library writes an empty crlEntryExtensions for an
    // entry without a reason, which RFC 5280 5.1.2.6 does not allow: SIZE (1..MAX); ours leaves it out).
    const view = (crl: x509.X509Crl) => ({
      issuer: crl.issuer,
      thisUpdate: crl.thisUpdate.toISOString(),
      nextUpdate: crl.nextUpdate?.toISOString(),
      extensions: crl.extensions.map((e) => Buffer.from(e.rawData).toString('hex')),
      entries: crl.entries.map((e) => ({ serial: e.serialNumber, at: e.revocationDate.toISOString(), reason: e.reason ?? null, extensions: e.extensions.length })),
    });
    const expected = view(library);
    expected.entries = expected.entries.map((e) => ({ ...e, extensions: e.reason === null ? 0 : 1 }));
    assert.deepEqual(view(ours), expected, `${keyType}: the CRL's content`);
    assert.doesNotMatch(Buffer.from(ours.rawData).toString('hex'), /170d[0-9a-f]{26}5a3000/, 'no empty crlEntryExtensions');
    assert.equal(await ours.verify({ publicKey: signer.certificate.publicKey }), true, `${keyType}: signature`);
    assert.equal(ours.entries.length, 40);
    assert.equal(ours.entries[1]!.serialNumber, 'ff01');
  }
});

test('OpenSSL verifies a CRL of 5,000 entries against its issuer', async (t) => {
  if (!needTools(t, 'openssl')) return;
  const dir = tempDir(t);
  const signer = await issuer('ec-p256');
  const list = entries(5000);
  const der = await buildCrlDer({ signer, crlNumber: 7, thisUpdate: new Date('2026-03-01T00:00:00Z'), nextUpdate: new Date('2026-04-01T00:00:00Z'), entries: list });
  writeFileSync(join(dir, 'ca.pem'), signer.certificate.toString('pem'));
  writeFileSync(join(dir, 'crl.pem'), crlToPem(der));
  const r = spawnSync('openssl', ['crl', '-in', join(dir, 'crl.pem'), '-CAfile', join(dir, 'ca.pem'), '-noout', '-text'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr + r.stdout, /verify OK/);
  assert.equal((r.stdout.match(/Serial Number: /g) ?? []).length, 5000);
  assert.match(r.stdout, /Serial Number: 00\n/);
  assert.equal((r.stdout.match(/Key Compromise/g) ?? []).length, list.filter((e) => e.reason === 'keyCompromise').length);
});

test('a serial listed twice (even written with a leading zero) is refused', async () => {
  const signer = await issuer('ec-p256');
  const at = new Date('2026-03-01T00:00:00Z');
  await assert.rejects(
    buildCrlDer({ signer, crlNumber: 1, thisUpdate: at, nextUpdate: at, entries: [{ serial: '0abc', revokedAt: at, reason: 'superseded' }, { serial: 'abc', revokedAt: at, reason: 'superseded' }] }),
    /Certificate serial number abc is listed twice/,
  );
});
