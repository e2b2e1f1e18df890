// Test fixtures for PKCS#12: a CA and a leaf it signed, with node:crypto keys and @peculiar/x509 certificates.
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { x509 } from '../../electron/core/pki/provider.js';

export type KeyKind = 'ec-p256' | 'rsa-2048';
export interface Fixture {
  pkcs8: Uint8Array;
  leaf: Uint8Array;
  chain: Uint8Array[];
}

async function importPair(kind: KeyKind): Promise<webcrypto.CryptoKeyPair & { pkcs8: Uint8Array }> {
  const pair =
    kind === 'ec-p256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const alg = kind === 'ec-p256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  return {
    pkcs8,
    privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', spki, alg, true, ['verify']),
  };
}

const fixtures = new Map<KeyKind, Promise<Fixture>>();
export function fixture(kind: KeyKind): Promise<Fixture> {
  let f = fixtures.get(kind);
  if (!f) fixtures.set(kind, (f = makeFixture(kind)));
  return f;
}

async function makeFixture(kind: KeyKind): Promise<Fixture> {
  const signingAlgorithm = kind === 'ec-p256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + 86_400_000);
  const caKeys = await importPair(kind);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `C=DE, O=CertDesk Test, CN=PKCS12 Test CA ${kind}`,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const leafKeys = await importPair(kind);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: '02',
    subject: `C=DE, O=CertDesk Test, CN=leaf-${kind}`,
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm,
    extensions: [new x509.BasicConstraintsExtension(false), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
  });
  return { pkcs8: leafKeys.pkcs8, leaf: new Uint8Array(leaf.rawData), chain: [new Uint8Array(ca.rawData)] };
}

