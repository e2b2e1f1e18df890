import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import type { CaRecord, KeyType, San } from '../../shared/domain.js';
import { x509 } from '../../electron/core/pki/provider.js';
import { buildCertificate, randomSerial } from '../../electron/core/pki/certificates.js';
import { generateKey } from '../../electron/core/pki/keys.js';
import { toPem } from '../../electron/core/pki/pem.js';
import { createCa, importCa, loadSigner } from '../../electron/core/issuance/cas.js';
import { issueCertificate, signCsr } from '../../electron/core/issuance/issue.js';
import { getCertRow, listCertificates, resolveCa, resolveCertificate, toCertificateRecord } from '../../electron/core/issuance/records.js';
import { generateCrl, revokeCertificate } from '../../electron/core/issuance/revocation.js';
import { insertCertificate } from '../../electron/core/issuance/store.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { certErr, counts, DAY, newVault, TestClock } from '../helpers/engine-vault.js';

const ROOT_SUBJECT = 'CN=Test Root,O=Example,C=DE';
const MIN = 60_000;

interface Pki {
  vault: Vault;
  clock: TestClock;
  root: CaRecord;
  inter: CaRecord;
}

/** A vault with a root (3650 days) and an intermediate under it (1000 days), both EC P-256. */
async function pki(t: TestContext, extra: { rootCrlUrl?: string; interCrlUrl?: string } = {}): Promise<Pki> {
  const { vault, clock } = await newVault(t);
  const root = await createCa(vault, { name: 'Root', subject: ROOT_SUBJECT, keyType: 'ec-p256', days: 3650, crlUrl: extra.rootCrlUrl ?? null });
  const inter = await createCa(vault, {
    name: 'Intermediate',
    subject: 'CN=Test Issuing CA,O=Example,C=DE',
    keyType: 'ec-p256',
    days: 1000,
    issuer: 'Root',
    crlUrl: extra.interCrlUrl ?? null,
  });
  return { vault, clock, root, inter };
}

function userReq(name: string, sans: San[] = [{ type: 'email', value: `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}@example.com` }], keyType: KeyType = 'ec-p256') {
  return { ca: 'Intermediate', profile: 'user', name, sans, keyType };
}

const certOf = (pem: string) => new x509.X509Certificate(pem);
const caCert = (vault: Vault, ca: CaRecord) => new x509.X509Certificate(getCertRow(vault, ca.certificateId)!.der);

test('path length: a root with path length 0 refuses an intermediate; intermediates default to 0; no third level', async (t) => {
  const { vault, root, inter } = await pki(t);
  assert.equal(root.pathLength, null);
  const rootBc = caCert(vault, root).getExtension(x509.BasicConstraintsExtension)!;
  assert.equal(rootBc.ca, true);
  assert.equal(rootBc.pathLength, undefined, 'an unlimited root has no pathLenConstraint');

  assert.equal(inter.pathLength, 0);
  const interBc = caCert(vault, inter).getExtension(x509.BasicConstraintsExtension)!;
  assert.equal(interBc.ca, true);
  assert.equal(interBc.pathLength, 0, 'the intermediate certificate carries pathLenConstraint 0');

  const before = counts(vault.db);
  await assert.rejects(
    createCa(vault, { name: 'Third', subject: 'CN=Third Level', keyType: 'ec-p256', days: 100, issuer: 'Intermediate' }),
    certErr('PATH_LENGTH_EXCEEDED', '"Intermediate"', /path length 0/),
  );
  assert.deepEqual(counts(vault.db), before);

  const zero = await createCa(vault, { name: 'Root0', subject: 'CN=Root Zero', keyType: 'ec-p256', days: 3650, pathLength: 0 });
  assert.equal(zero.pathLength, 0);
  assert.equal(caCert(vault, zero).getExtension(x509.BasicConstraintsExtension)!.pathLength, 0);
  const before0 = counts(vault.db);
  await assert.rejects(
    createCa(vault, { name: 'Under Root0', subject: 'CN=Under Root Zero', keyType: 'ec-p256', days: 100, issuer: 'Root0' }),
    certErr('PATH_LENGTH_EXCEEDED', '"Root0"'),
  );
  assert.deepEqual(counts(vault.db), before0);

  // A root with path length 1 allows an intermediate with 0 but not one asking for 1.
  await createCa(vault, { name: 'Root1', subject: 'CN=Root One', keyType: 'ec-p256', days: 3650, pathLength: 1 });
  await assert.rejects(
    createCa(vault, { name: 'Sub1', subject: 'CN=Sub One', keyType: 'ec-p256', days: 100, issuer: 'Root1', pathLength: 1 }),
    certErr('PATH_LENGTH_EXCEEDED', '"Root1"', /at most 0/),
  );
  const sub = await createCa(vault, { name: 'Sub0', subject: 'CN=Sub Zero', keyType: 'ec-p256', days: 100, issuer: 'Root1' });
  assert.equal(sub.pathLength, 0);
  assert.equal(sub.issuerCaId, resolveCa(vault, 'Root1').id);
});

test('a CA whose end date is past its issuer is refused and writes nothing (an end-entity certificate is cut instead: preflight-validity.test.ts)', async (t) => {
  const { vault, inter, root, clock } = await pki(t);
  assert.equal(inter.notAfter, clock.iso(1000 * DAY));
  // Up to the issuer's end date is fine, and is not cut.
  clock.advance(DAY);
  const ok = await issueCertificate(vault, { ...userReq('Alice'), days: 999 });
  assert.equal(ok.record.notAfter, clock.iso(999 * DAY));

  const beforeCa = counts(vault.db);
  await assert.rejects(
    createCa(vault, { name: 'Too Long', subject: 'CN=Too Long', keyType: 'ec-p256', days: 3650, issuer: 'Root' }),
    certErr('VALIDITY_EXCEEDS_ISSUER', /end date/, root.notAfter),
  );
  assert.deepEqual(counts(vault.db), beforeCa, 'no CA, certificate, key or audit entry');
});

test('issuance: serials, validity, key identifiers, extensions, names', async (t) => {
  const { vault, clock, root, inter } = await pki(t);
  clock.advance(60 * MIN); // so that the leaf's notBefore is not clamped to the issuer's

  const serials = new Set<string>();
  for (let i = 0; i < 50; i++) {
    const { record } = await issueCertificate(vault, userReq(`Holder ${i}`));
    assert.match(record.serial, /^[0-7][0-9a-f]{31}$/, `serial ${record.serial}: 16 bytes, positive`);
    assert.doesNotMatch(record.serial, /^00/, `serial ${record.serial}: no leading zero byte`);
    assert.equal(certOf(record.pem).serialNumber.toLowerCase(), record.serial);
    serials.add(record.serial);
  }
  assert.equal(serials.size, 50, 'serials are unique');
  assert.equal(serials.has(root.serial) || serials.has(inter.serial), false);

  const rootCert = caCert(vault, root);
  const interCert = caCert(vault, inter);
  const { record } = await issueCertificate(vault, {
    ...userReq('Zoë Łukasiewicz-Müller 日本'),
    sans: [
      { type: 'email', value: 'Zoe@Example.COM' },
      { type: 'upn', value: 'zoe@corp.example' },
    ],
    days: 365,
  });
  assert.equal(record.notBefore, clock.iso(-5 * MIN), 'notBefore is 5 minutes before the clock');
  assert.equal(record.notAfter, clock.iso(365 * DAY));
  assert.equal(record.issuedAt, clock.iso());
  assert.equal(record.holder, 'Zoë Łukasiewicz-Müller 日本');
  assert.ok(record.subject.includes('CN=Zoë Łukasiewicz-Müller 日本'), record.subject);
  assert.ok(record.subject.includes('O=Example') && record.subject.includes('C=DE'), record.subject);
  assert.deepEqual(record.sans, [
    { type: 'email', value: 'Zoe@example.com' },
    { type: 'upn', value: 'zoe@corp.example' },
  ]);
  assert.equal(record.issuerName, 'Intermediate');
  assert.equal(record.status, 'valid');

  const leaf = certOf(record.pem);
  assert.equal(leaf.notBefore.toISOString(), record.notBefore);
  assert.equal(leaf.subjectName.getField('CN')[0], 'Zoë Łukasiewicz-Müller 日本');
  assert.equal(await leaf.verify({ publicKey: interCert.publicKey, signatureOnly: true }), true);

  const ski = (c: x509.X509Certificate) => c.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
  const aki = (c: x509.X509Certificate) => c.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId;
  for (const c of [rootCert, interCert, leaf]) {
    assert.match(ski(c) ?? '', /^[0-9a-f]{40}$/i, 'SKI present');
    assert.match(aki(c) ?? '', /^[0-9a-f]{40}$/i, 'AKI present');
  }
  assert.equal(aki(leaf), ski(interCert), "the leaf's AKI is the intermediate's SKI");
  assert.equal(aki(interCert), ski(rootCert), "the intermediate's AKI is the root's SKI");
  assert.equal(aki(rootCert), ski(rootCert));
  assert.notEqual(ski(leaf), ski(interCert));

  const ku = leaf.getExtension(x509.KeyUsagesExtension)!;
  assert.equal(ku.critical, true, 'keyUsage is critical');
  assert.equal(ku.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement, 'EC user key: digitalSignature + keyAgreement');
  const leafBc = leaf.getExtension(x509.BasicConstraintsExtension);
  assert.equal(leafBc?.ca ?? false, false);
  for (const c of [rootCert, interCert]) {
    const bc = c.getExtension(x509.BasicConstraintsExtension)!;
    assert.equal(bc.ca, true);
    assert.equal(bc.critical, true, 'basicConstraints is critical on a CA');
    const caKu = c.getExtension(x509.KeyUsagesExtension)!;
    assert.equal(caKu.critical, true);
    assert.equal(caKu.usages & x509.KeyUsageFlags.keyCertSign, x509.KeyUsageFlags.keyCertSign);
    assert.equal(caKu.usages & x509.KeyUsageFlags.cRLSign, x509.KeyUsageFlags.cRLSign);
  }
  const sanExt = leaf.getExtension(x509.SubjectAlternativeNameExtension)!;
  assert.equal(sanExt.critical, false);
  assert.deepEqual(
    sanExt.names.items.map((n) => ({ type: n.type, value: n.value })),
    [
      { type: 'email', value: 'Zoe@example.com' },
      { type: 'upn', value: 'zoe@corp.example' },
    ],
  );
  const eku = leaf.getExtension(x509.ExtendedKeyUsageExtension)!;
  assert.deepEqual([...eku.usages].sort(), ['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.4']);
  assert.equal(leaf.getExtension(x509.CRLDistributionPointsExtension), null, 'no CRL URL set: no CDP extension');

  // An RSA key gets keyEncipherment instead of keyAgreement.
  const rsa = certOf((await issueCertificate(vault, userReq('Rsa Holder', undefined, 'rsa-2048'))).record.pem);
  assert.equal(rsa.getExtension(x509.KeyUsagesExtension)!.usages, x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);

  // A holder name in decomposed form is stored composed (NFC).
  const nfd = await issueCertificate(vault, userReq('Zoe\u0308 Decomposed', [{ type: 'email', value: 'nfd@example.com' }]));
  assert.equal(nfd.record.holder, 'Zo\u00eb Decomposed');
});

test('the CA CRL URL appears in the CRL distribution points of what it issues', async (t) => {
  const { vault, root, inter } = await pki(t, { rootCrlUrl: 'http://pki.example.com/root.crl', interCrlUrl: 'http://pki.example.com/issuing.crl' });
  assert.equal(root.crlUrl, 'http://pki.example.com/root.crl');
  assert.equal(inter.crlUrl, 'http://pki.example.com/issuing.crl');
  const cdpUrls = (c: x509.X509Certificate) =>
    Array.from(c.getExtension(x509.CRLDistributionPointsExtension)?.distributionPoints ?? []).flatMap((dp) =>
      Array.from(dp.distributionPoint?.fullName ?? []).map((gn) => gn.uniformResourceIdentifier),
    );
  assert.deepEqual(cdpUrls(caCert(vault, root)), [], 'a self-signed root has no CDP');
  assert.deepEqual(cdpUrls(caCert(vault, inter)), ['http://pki.example.com/root.crl'], "the intermediate points at its issuer's CRL");
  const { record } = await issueCertificate(vault, userReq('Carol'));
  assert.deepEqual(cdpUrls(certOf(record.pem)), ['http://pki.example.com/issuing.crl']);

  await assert.rejects(
    createCa(vault, { name: 'Bad Url', subject: 'CN=Bad Url', keyType: 'ec-p256', crlUrl: 'https://pki.example.com/x.crl' }),
    certErr('INVALID_INPUT', /crl-url/),
  );
});

test('profile violations are refused and write nothing', async (t) => {
  const { vault } = await pki(t);
  const before = counts(vault.db);
  await assert.rejects(
    issueCertificate(vault, userReq('Dave', [{ type: 'email', value: 'dave@example.com' }, { type: 'dns', value: 'dave.example.com' }])),
    certErr('PROFILE_VIOLATION', 'the User profile does not allow DNS names (it allows e-mail addresses and user principal names (UPN))'),
  );
  await assert.rejects(issueCertificate(vault, userReq('Dave', [])), certErr('PROFILE_VIOLATION', 'the User profile needs at least one e-mail address or user principal name (UPN)'));
  await assert.rejects(
    issueCertificate(vault, { ca: 'Intermediate', profile: 'server', name: 'web01', sans: [], keyType: 'ec-p256' }),
    certErr('PROFILE_VIOLATION', 'the Server profile needs at least one DNS name or IP address'),
  );
  await assert.rejects(
    issueCertificate(vault, { ca: 'Intermediate', profile: 'server', name: 'web01', sans: [{ type: 'email', value: 'web@example.com' }], keyType: 'ec-p256' }),
    certErr('PROFILE_VIOLATION', 'the Server profile does not allow e-mail addresses (it allows DNS names and IP addresses)'),
  );
  assert.deepEqual(counts(vault.db), before);
  const ok = await issueCertificate(vault, { ca: 'Intermediate', profile: 'server', name: 'web01', sans: [{ type: 'dns', value: 'web01.example.com' }], keyType: 'ec-p256' });
  assert.deepEqual(ok.record.sans, [{ type: 'dns', value: 'web01.example.com' }]);
});

test('duplicate serial: the same certificate twice is refused and the transaction rolls back', async (t) => {
  const { vault, inter } = await pki(t);
  const signer = await loadSigner(vault, inter);
  const serial = randomSerial();
  const build = async () => {
    const key = await generateKey('ec-p256');
    return buildCertificate({
      subject: new x509.Name('CN=Dup'),
      publicKey: key.publicKey,
      serial,
      notBefore: vault.now(),
      notAfter: new Date(vault.now().getTime() + 10 * DAY),
      signer,
      keyUsage: ['digitalSignature'],
      extendedKeyUsage: [],
      sans: [],
    });
  };
  const cert = await build();
  const entry = {
    cert,
    kind: 'end-entity' as const,
    issuerCaId: inter.id,
    holder: 'Dup',
    sans: [],
    profile: null,
    recipientId: null,
    source: 'imported' as const,
    alias: null,
    autoRenew: false,
    keyType: 'ec-p256' as const,
    keyId: null,
  };
  const before = counts(vault.db);
  assert.throws(
    () =>
      vault.transaction(() => {
        insertCertificate(vault, entry);
        insertCertificate(vault, entry);
      }),
    certErr('DUPLICATE_SERIAL', serial, /already in the vault/),
  );
  assert.deepEqual(counts(vault.db), before, 'the first insert was rolled back with the transaction');

  const id = vault.transaction(() => insertCertificate(vault, entry));
  assert.equal(getCertRow(vault, id)!.serial, serial);
  // Another certificate (another key) from the same issuer with the same serial.
  const other = await build();
  assert.notEqual(Buffer.from(other.rawData).toString('hex'), Buffer.from(cert.rawData).toString('hex'));
  assert.throws(() => vault.transaction(() => insertCertificate(vault, { ...entry, cert: other })), certErr('DUPLICATE_SERIAL', serial, /another certificate/, `id ${id}`));
});

async function makeCsr(keys: webcrypto.CryptoKeyPair, signingAlgorithm: { name: string; hash?: string }, name = 'CN=device-17'): Promise<Uint8Array> {
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: keys as never,
    signingAlgorithm: signingAlgorithm as never,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'dev17.example.com' },
        { type: 'email', value: 'x@example.com' },
      ]),
    ],
  });
  return new Uint8Array(csr.rawData);
}

test('signCsr: the profile filters SANs; altered, garbage and weak requests are refused', async (t) => {
  const { vault, inter } = await pki(t);
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const der = await makeCsr(keys, { name: 'ECDSA', hash: 'SHA-256' });

  const res = await signCsr(vault, { ca: 'Intermediate', profile: 'device', csr: der });
  assert.deepEqual(res.record.sans, [{ type: 'dns', value: 'dev17.example.com' }]);
  assert.deepEqual(res.droppedSans, [{ type: 'email', value: 'x@example.com' }]);
  assert.equal(res.record.source, 'csr');
  assert.equal(res.record.hasKey, false);
  assert.equal(res.record.keyType, 'ec-p256');
  assert.equal(res.record.holder, 'device-17');
  assert.equal(res.record.issuerCaId, inter.id);
  const cert = certOf(res.record.pem);
  assert.deepEqual(
    cert.getExtension(x509.SubjectAlternativeNameExtension)!.names.items.map((n) => ({ type: n.type, value: n.value })),
    [{ type: 'dns', value: 'dev17.example.com' }],
  );
  assert.equal(
    Buffer.from(cert.publicKey.rawData).toString('hex'),
    Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)).toString('hex'),
    "the certificate carries the request's public key",
  );
  assert.equal(await cert.verify({ publicKey: caCert(vault, inter).publicKey, signatureOnly: true }), true);

  // PEM works too.
  const pem = await signCsr(vault, { ca: 'Intermediate', profile: 'device', csr: Buffer.from(toPem(der, 'CERTIFICATE REQUEST')) });
  assert.notEqual(pem.record.serial, res.record.serial);

  const before = counts(vault.db);
  const flipped = Uint8Array.from(der);
  flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 0x01;
  await assert.rejects(signCsr(vault, { ca: 'Intermediate', profile: 'device', csr: flipped }), certErr('CSR_BAD_SIGNATURE', /csr/, /signature/));
  await assert.rejects(signCsr(vault, { ca: 'Intermediate', profile: 'device', csr: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05, 0xde, 0xad]) }), certErr('CSR_INVALID', /csr/, /PKCS#10/));
  await assert.rejects(signCsr(vault, { ca: 'Intermediate', profile: 'device', csr: Buffer.from('hello, this is not a request') }), certErr('CSR_INVALID', /csr/));
  await assert.rejects(
    signCsr(vault, { ca: 'Intermediate', profile: 'device', csr: Buffer.from(toPem(der, 'CERTIFICATE')) }),
    certErr('CSR_INVALID', /BEGIN CERTIFICATE REQUEST/),
  );

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const weakKeys = {
    privateKey: await webcrypto.subtle.importKey('pkcs8', privateKey.export({ type: 'pkcs8', format: 'der' }), alg, true, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), alg, true, ['verify']),
  } as webcrypto.CryptoKeyPair;
  const weak = await makeCsr(weakKeys, alg, 'CN=weak-device');
  await assert.rejects(signCsr(vault, { ca: 'Intermediate', profile: 'device', csr: weak }), certErr('WEAK_KEY', /RSA-1024/, /2048/));
  assert.deepEqual(counts(vault.db), before, 'refused requests write nothing');
});

test('importCa: an exported root with an encrypted key imports and issues; bad inputs are refused', async (t) => {
  const { vault: source, root, inter } = await pki(t);
  const rootRow = getCertRow(source, root.certificateId)!;
  const certPem = Buffer.from(toPem(rootRow.der));
  const keyPassword = 'key password 42';
  const pkcs8 = Buffer.from(source.loadKey(rootRow.key_id!));
  const encKey = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: keyPassword });
  assert.match(String(encKey), /BEGIN ENCRYPTED PRIVATE KEY/);

  const { vault } = await newVault(t);
  const empty = counts(vault.db);
  await assert.rejects(
    importCa(vault, { name: 'Imported', pem: { cert: certPem, key: Buffer.from(encKey), keyPassword: 'not the password' } }),
    certErr('KEY_BAD_PASSWORD', /key/, /password/),
  );
  await assert.rejects(importCa(vault, { name: 'Imported', pem: { cert: certPem, key: Buffer.from(encKey) } }), certErr('KEY_BAD_PASSWORD', /encrypted/));

  const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  await assert.rejects(importCa(vault, { name: 'Imported', pem: { cert: certPem, key: Buffer.from(otherKey) } }), certErr('KEY_MISMATCH', /does not belong/));

  const leaf = await issueCertificate(source, userReq('Erin'));
  const leafKey = createPrivateKey({ key: Buffer.from(leaf.privateKeyPkcs8), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' });
  await assert.rejects(
    importCa(vault, { name: 'Leaf', pem: { cert: Buffer.from(leaf.record.pem), key: Buffer.from(leafKey) } }),
    certErr('NOT_A_CA', 'CN=Erin', /not a CA/),
  );

  const weakAlg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]) };
  const weakKeys = (await webcrypto.subtle.generateKey(weakAlg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const weakCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Weak Root',
    notBefore: new Date(vault.now().getTime() - DAY),
    notAfter: new Date(vault.now().getTime() + 100 * DAY),
    keys: weakKeys as never,
    signingAlgorithm: weakAlg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true)],
  });
  const weakPkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', weakKeys.privateKey));
  await assert.rejects(
    importCa(vault, { name: 'Weak', pem: { cert: Buffer.from(weakCert.toString('pem')), key: Buffer.from(toPem(weakPkcs8, 'PRIVATE KEY')) } }),
    certErr('WEAK_KEY', /RSA-1024/),
  );
  assert.deepEqual(counts(vault.db), empty, 'refused imports write nothing');

  const imported = await importCa(vault, { name: 'Imported', pem: { cert: certPem, key: Buffer.from(encKey), keyPassword } });
  assert.equal(imported.source, 'imported');
  assert.equal(imported.sha256, root.sha256);
  assert.equal(imported.subject, root.subject);
  assert.equal(imported.issuerCaId, null);
  assert.equal(imported.pathLength, null);
  assert.equal(imported.hasKey, true);
  assert.equal(imported.keyType, 'ec-p256');

  const issued = await issueCertificate(vault, { ca: 'Imported', profile: 'user', name: 'Frank', sans: [{ type: 'email', value: 'frank@example.com' }], keyType: 'ec-p256' });
  const leafCert = certOf(issued.record.pem);
  const rootCert = new x509.X509Certificate(rootRow.der);
  assert.equal(await leafCert.verify({ publicKey: rootCert.publicKey, signatureOnly: true }), true);
  assert.equal(leafCert.issuer, rootCert.subject);
  assert.equal(issued.record.issuerCaId, imported.id);

  // The intermediate imported next is linked to the imported root.
  const interRow = getCertRow(source, inter.certificateId)!;
  const interKey = createPrivateKey({ key: Buffer.from(source.loadKey(interRow.key_id!)), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' });
  const importedInter = await importCa(vault, { name: 'Imported Issuing', pem: { cert: Buffer.from(toPem(interRow.der)), key: Buffer.from(interKey) } });
  assert.equal(importedInter.issuerCaId, imported.id);
  assert.equal(importedInter.pathLength, 0);
  assert.equal(vault.verifyAudit().ok, true);
});

test('revoke, CRLs and expiry', async (t) => {
  const { vault, clock, inter } = await pki(t);
  const a = (await issueCertificate(vault, userReq('Alice'))).record;
  const b = (await issueCertificate(vault, userReq('Bob'))).record;
  const c = (await issueCertificate(vault, userReq('Carol'))).record;

  clock.advance(10 * MIN);
  const revoked = revokeCertificate(vault, String(a.id), 'keyCompromise');
  assert.equal(revoked.status, 'revoked');
  assert.equal(revoked.revocationReason, 'keyCompromise');
  assert.equal(revoked.revokedAt, clock.iso());
  assert.equal(revoked.statusChangedAt, clock.iso());
  const auditBefore = counts(vault.db).audit;
  assert.throws(() => revokeCertificate(vault, String(a.id), 'superseded'), certErr('ALREADY_REVOKED', `certificate ${a.id}`, /already revoked/, 'keyCompromise'));
  assert.equal(counts(vault.db).audit, auditBefore);
  assert.equal(toCertificateRecord(vault, getCertRow(vault, a.id)!).revocationReason, 'keyCompromise', 'the second revocation changed nothing');

  const interCert = caCert(vault, inter);
  const crl1 = await generateCrl(vault, 'Intermediate');
  assert.equal(crl1.crlNumber, 1);
  assert.equal(crl1.entries, 1);
  assert.ok(crl1.pem.startsWith('-----BEGIN X509 CRL-----\n'), crl1.pem.slice(0, 40));
  assert.ok(crl1.pem.trimEnd().endsWith('-----END X509 CRL-----'));
  const parsed1 = new x509.X509Crl(crl1.der);
  assert.equal(await parsed1.verify({ publicKey: interCert.publicKey }), true);
  assert.deepEqual(
    parsed1.entries.map((e) => e.serialNumber.toLowerCase()),
    [a.serial],
  );
  assert.equal(parsed1.entries[0]!.reason, x509.X509CrlReason.keyCompromise);
  assert.equal(parsed1.thisUpdate.toISOString(), clock.iso());
  assert.equal(parsed1.nextUpdate?.toISOString(), clock.iso(30 * DAY));
  const crlNumber = (crl: x509.X509Crl) => {
    const ext = crl.getExtension('2.5.29.20');
    assert.ok(ext, 'CRL number extension present');
    return (asn1js.fromBER(ext.value).result as asn1js.Integer).valueBlock.valueDec;
  };
  assert.equal(crlNumber(parsed1), 1);

  clock.advance(MIN);
  revokeCertificate(vault, b.serial.replace(/(..)(?!$)/g, '$1:').toUpperCase(), 'unspecified');
  const crl2 = await generateCrl(vault, String(inter.id), 7);
  assert.equal(crl2.crlNumber, 2);
  assert.equal(crl2.entries, 2);
  const parsed2 = new x509.X509Crl(crl2.der);
  assert.equal(crlNumber(parsed2), 2);
  assert.deepEqual(new Set(parsed2.entries.map((e) => e.serialNumber.toLowerCase())), new Set([a.serial, b.serial]));
  assert.equal(parsed2.entries.some((e) => e.serialNumber.toLowerCase() === c.serial), false, 'a valid certificate is not listed');
  assert.equal(parsed2.nextUpdate?.toISOString(), clock.iso(7 * DAY));
  const after = resolveCa(vault, 'Intermediate');
  assert.equal(after.crlNumber, 2);
  assert.equal(after.lastCrlAt, clock.iso());

  // The root's CRL is separate and starts at 1.
  assert.equal((await generateCrl(vault, 'Root')).crlNumber, 1);

  // Expiry is derived from the clock.
  const short = (await issueCertificate(vault, { ...userReq('Dora'), days: 1 })).record;
  assert.equal(short.status, 'valid');
  clock.advance(DAY + 1000);
  const expired = toCertificateRecord(vault, resolveCertificate(vault, String(short.id)));
  assert.equal(expired.status, 'expired');
  assert.equal(expired.statusChangedAt, short.notAfter);
  assert.equal(toCertificateRecord(vault, resolveCertificate(vault, String(c.id))).status, 'valid');
});

test('listCertificates filters', async (t) => {
  const { vault, clock, root, inter } = await pki(t);
  const alice = (await issueCertificate(vault, { ...userReq('Alice Anders'), days: 365 })).record;
  const bob = (await issueCertificate(vault, { ...userReq('Bob Berg'), days: 30 })).record;
  const dev = (await issueCertificate(vault, { ca: 'Root', profile: 'device', name: 'sensor-5', sans: [{ type: 'dns', value: 'sensor5.example.com' }], keyType: 'ec-p256', days: 10 })).record;
  const dora = (await issueCertificate(vault, { ...userReq('Dora 100%_off'), days: 1 })).record;
  revokeCertificate(vault, String(bob.id), 'superseded');
  clock.advance(2 * DAY);

  const ids = (f: Parameters<typeof listCertificates>[1]) => listCertificates(vault, f).map((r) => r.id);
  const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
  assert.deepEqual(ids({ status: 'expired' }), [dora.id]);
  assert.deepEqual(ids({ status: 'revoked' }), [bob.id]);
  assert.deepEqual(sorted(ids({ status: 'valid' })), sorted([root.certificateId, inter.certificateId, alice.id, dev.id]));
  assert.deepEqual(ids({ status: 'valid', kind: 'end-entity' }), [dev.id, alice.id], 'soonest expiry first');
  assert.deepEqual(ids({ expiringWithinDays: 30 }), [dev.id]);
  assert.deepEqual(ids({ expiringWithinDays: 7 }), []);
  assert.deepEqual(ids({ expiringWithinDays: 400, kind: 'end-entity' }), [dev.id, alice.id]);
  assert.deepEqual(ids({ search: 'alice' }), [alice.id]);
  assert.deepEqual(ids({ search: 'sensor5.example' }), [dev.id], 'search matches SANs');
  assert.deepEqual(ids({ search: bob.serial.slice(4, 20) }), [bob.id], 'search matches serials');
  assert.deepEqual(ids({ search: '100%_' }), [dora.id], '% and _ are literal');
  assert.deepEqual(ids({ search: '%' }), [dora.id]);
  assert.deepEqual(ids({ search: 'nobody here' }), []);
  assert.deepEqual(sorted(ids({ caId: root.id })), sorted([inter.certificateId, dev.id]));
  assert.deepEqual(sorted(ids({ caId: inter.id })), sorted([alice.id, bob.id, dora.id]));
  assert.deepEqual(ids({ caId: inter.id, status: 'valid' }), [alice.id]);
  assert.deepEqual(ids({ profile: 'device' }), [dev.id]);
});

test('resolveCertificate by id, serial (with colons) and SHA-256', async (t) => {
  const { vault, root } = await pki(t);
  const { record } = await issueCertificate(vault, userReq('Gina'));
  const colons = (hex: string) => hex.replace(/(..)(?!$)/g, '$1:');
  assert.equal(resolveCertificate(vault, String(record.id)).id, record.id);
  assert.equal(resolveCertificate(vault, ` ${record.id} `).id, record.id);
  assert.equal(resolveCertificate(vault, record.serial).id, record.id);
  assert.equal(resolveCertificate(vault, colons(record.serial)).id, record.id);
  assert.equal(resolveCertificate(vault, colons(record.serial).toUpperCase()).id, record.id);
  assert.equal(resolveCertificate(vault, record.sha256).id, record.id);
  assert.equal(resolveCertificate(vault, colons(record.sha256).toUpperCase()).id, record.id);
  assert.equal(resolveCertificate(vault, root.serial).id, root.certificateId);

  assert.throws(() => resolveCertificate(vault, '9999'), certErr('CERT_NOT_FOUND', '"9999"'));
  assert.throws(() => resolveCertificate(vault, 'de:ad:be:ef'), certErr('CERT_NOT_FOUND', '"de:ad:be:ef"'));
  assert.throws(() => resolveCertificate(vault, '0'.repeat(64)), certErr('CERT_NOT_FOUND', '0'.repeat(64)));
  assert.throws(() => resolveCertificate(vault, 'no such thing'), certErr('CERT_NOT_FOUND', '"no such thing"'));
});
