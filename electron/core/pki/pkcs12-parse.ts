// Reads PKCS#12 files: OpenSSL 3's default (PBES2/AES, HMAC-SHA256), the legacy 3DES/SHA-1 form
// and our own output. The MAC is verified before anything is decrypted.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import * as asn1js from 'asn1js';
import { CertDeskError } from '../../../shared/errors.js';
import { canonicalSpki } from './key-compare.js';
import { unsupportedAlgorithm } from './pkcs12-algorithm-names.js';
import { pkijs } from './provider.js';
import {
  OID,
  type Asn1,
  childrenOf,
  decodeAsn1,
  explicitZero,
  malformed,
  octetsOf,
  oidOf,
  parseWith,
  pfxError,
  unsupported,
} from './pkcs12-asn1.js';
import { MAC_DIGESTS, NULL_PASSWORD, type PfxPassword, checkMacIterations, decryptWith, macMatches, pfxPassword } from './pkcs12-cipher.js';
import type { PfxContents } from './pkcs12.js';

/** Nested SafeContents bags deeper than this are refused (they are rare even at depth 1). */
const MAX_BAG_NESTING = 4;

interface ReadContext {
  readonly password: PfxPassword;
  /** Without a verified MAC, garbage after decryption most likely means a wrong password. */
  readonly macVerified: boolean;
}

interface FoundItem {
  readonly der: Uint8Array;
  readonly friendlyName: string | null;
}

interface Found {
  readonly keys: FoundItem[];
  readonly certs: FoundItem[];
}

export async function parsePfx(der: Uint8Array, password: string): Promise<PfxContents> {
  if (!(der instanceof Uint8Array)) throw malformed('expected the file content as bytes');
  if (typeof password !== 'string') throw new CertDeskError('INVALID_INPUT', 'the PKCS#12 password must be a string');
  const pfx = parseWith('PFX', () => new pkijs.PFX({ schema: decodeAsn1(der, 'the file') }));
  if (pfx.version !== 3) throw malformed(`PFX version ${pfx.version} (expected 3)`);
  const authSafe = authenticatedSafeBytes(pfx);
  const ctx = checkMac(pfx, authSafe, password);
  const contentInfos = parseWith('AuthenticatedSafe', () => new pkijs.AuthenticatedSafe({ schema: decodeAsn1(authSafe, 'AuthenticatedSafe') }));
  const found: Found = { keys: [], certs: [] };
  for (const [i, contentInfo] of contentInfos.safeContents.entries()) {
    const what = `SafeContents ${i + 1}`;
    const safeContents = await openContentInfo(contentInfo, ctx, what);
    await collectBags(safeContents, ctx, found, what, 0);
  }
  return assemble(found);
}

/** Only password integrity mode: the AuthenticatedSafe sits in a pkcs7-data ContentInfo. */
function authenticatedSafeBytes(pfx: InstanceType<typeof pkijs.PFX>): Uint8Array {
  const type = pfx.authSafe.contentType;
  if (type === OID.signedData) throw unsupported('integrity mode (public-key signature)', type);
  if (type !== OID.data) throw malformed(`authSafe has content type ${type}`);
  return octetsOf(pfx.authSafe.content, 'authSafe content');
}

/**
 * Verifies the MAC and returns the password encoding that verified it. An empty password is tried
 * both as "" and as OpenSSL's NULL password, as OpenSSL's own PKCS12_parse does.
 */
function checkMac(pfx: InstanceType<typeof pkijs.PFX>, authSafe: Uint8Array, password: string): ReadContext {
  if (!pfx.macData) return { password: pfxPassword(password), macVerified: false };
  const macData = pfx.macData;
  const digestOid = macData.mac.digestAlgorithm.algorithmId;
  const hash = MAC_DIGESTS[digestOid];
  if (!hash) throw unsupportedAlgorithm('MAC algorithm', digestOid);
  const iterations = macData.iterations ?? 1;
  if (!Number.isSafeInteger(iterations) || iterations < 1) throw malformed('bad MAC iteration count');
  checkMacIterations(iterations);
  const input = { hash, salt: octetsOf(macData.macSalt, 'MAC salt'), iterations };
  const expected = octetsOf(macData.mac.digest, 'MAC value');
  const candidates = password === '' ? [pfxPassword(''), NULL_PASSWORD] : [pfxPassword(password)];
  const match = candidates.find((c) => macMatches(input, c.bmp, authSafe, expected));
  if (!match) throw pfxError('PFX_BAD_PASSWORD', 'the PKCS#12 MAC does not verify: wrong password or damaged file');
  return { password: match, macVerified: true };
}

/** The SafeContents bytes held by one ContentInfo of the AuthenticatedSafe, decrypted if need be. */
async function openContentInfo(contentInfo: InstanceType<typeof pkijs.ContentInfo>, ctx: ReadContext, what: string): Promise<Uint8Array> {
  switch (contentInfo.contentType) {
    case OID.data:
      return octetsOf(contentInfo.content, what);
    case OID.encryptedData: {
      const encrypted = parseWith(`${what} EncryptedData`, () => new pkijs.EncryptedData({ schema: contentInfo.content }));
      const info = encrypted.encryptedContentInfo;
      if (!info.encryptedContent) throw malformed(`${what} has no encrypted content`);
      const ciphertext = octetsOf(info.encryptedContent, `${what} encrypted content`);
      return decryptWith(info.contentEncryptionAlgorithm, ciphertext, ctx.password, what);
    }
    case OID.envelopedData:
      throw unsupported('privacy mode (public-key encryption)', contentInfo.contentType);
    default:
      throw unsupported('content type', contentInfo.contentType);
  }
}

/** Decodes bytes that came out of a decryption; see ReadContext.macVerified for the error code. */
function decodeDecrypted(bytes: Uint8Array, ctx: ReadContext, what: string): Asn1 {
  try {
    return decodeAsn1(bytes, what);
  } catch (e) {
    if (ctx.macVerified) throw e;
    throw pfxError('PFX_BAD_PASSWORD', `${what} could not be decrypted: wrong password`);
  }
}

// The bags are walked with asn1js rather than pkijs.SafeContents: pkijs throws on bag types it
// does not know and re-parses every certificate, while we only need the bytes.
async function collectBags(safeContents: Uint8Array, ctx: ReadContext, found: Found, what: string, depth: number): Promise<void> {
  const root = decodeDecrypted(safeContents, ctx, what);
  if (!(root instanceof asn1js.Sequence)) throw malformed(`${what} is not a SEQUENCE`);
  for (const [j, bag] of childrenOf(root, what).entries()) {
    await collectBag(bag, ctx, found, `${what} bag ${j + 1}`, depth);
  }
}

async function collectBag(bag: Asn1, ctx: ReadContext, found: Found, what: string, depth: number): Promise<void> {
  const [idBlock, valueBlock, attributesBlock] = childrenOf(bag, what);
  const bagId = oidOf(idBlock, `${what} type`);
  const value = explicitZero(valueBlock, what);
  const friendlyName = attributesBlock ? friendlyNameOf(attributesBlock, what) : null;
  switch (bagId) {
    case OID.keyBag:
      found.keys.push({ der: pkcs8Checked(value.valueBeforeDecodeView.slice(), ctx, what), friendlyName });
      return;
    case OID.shroudedKeyBag:
      found.keys.push({ der: await decryptKeyBag(value, ctx, what), friendlyName });
      return;
    case OID.certBag:
      found.certs.push({ der: certificateOf(value, what), friendlyName });
      return;
    case OID.safeContentsBag:
      if (depth >= MAX_BAG_NESTING) throw malformed(`${what}: SafeContents nested too deeply`);
      await collectBags(value.valueBeforeDecodeView.slice(), ctx, found, what, depth + 1);
      return;
    default:
      return; // CRL and secret bags, and private extensions: nothing CertDesk imports
  }
}

async function decryptKeyBag(value: Asn1, ctx: ReadContext, what: string): Promise<Uint8Array> {
  const bag = parseWith(what, () => new pkijs.PKCS8ShroudedKeyBag({ schema: value }));
  const ciphertext = octetsOf(bag.encryptedData, `${what} encrypted key`);
  const plain = await decryptWith(bag.encryptionAlgorithm, ciphertext, ctx.password, what);
  return pkcs8Checked(plain, ctx, what);
}

/** Returns the bytes when they are a PKCS#8 private key Node can load. */
function pkcs8Checked(der: Uint8Array, ctx: ReadContext, what: string): Uint8Array {
  try {
    createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
    return der;
  } catch {
    if (!ctx.macVerified) throw pfxError('PFX_BAD_PASSWORD', `${what} could not be decrypted: wrong password`);
    throw malformed(`${what} does not hold a usable PKCS#8 private key`);
  }
}

function certificateOf(value: Asn1, what: string): Uint8Array {
  const [typeBlock, certBlock] = childrenOf(value, what);
  const certType = oidOf(typeBlock, `${what} certificate type`);
  if (certType !== OID.x509Certificate) throw unsupported('certificate type', certType);
  return octetsOf(explicitZero(certBlock, what), `${what} certificate`);
}

/** The first friendlyName value of a bag, or null; other attributes are not needed to read the file. */
function friendlyNameOf(attributes: Asn1, what: string): string | null {
  for (const attribute of childrenOf(attributes, `${what} attributes`)) {
    const [typeBlock, valuesBlock] = childrenOf(attribute, `${what} attribute`);
    if (oidOf(typeBlock, `${what} attribute type`) !== OID.friendlyName || !valuesBlock) continue;
    const first = childrenOf(valuesBlock, `${what} friendlyName`)[0];
    if (first instanceof asn1js.BmpString) return first.getValue();
    throw malformed(`${what} friendlyName is not a BMPString`);
  }
  return null;
}

/** The SubjectPublicKeyInfo (DER) of a PKCS#8 private key in canonical form (key-compare.ts: EC with named curve, uncompressed). */
export function spkiOfPrivateKey(pkcs8: Uint8Array): Buffer {
  return canonicalSpki(createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }));
}

/** The certificate's SubjectPublicKeyInfo in the same canonical form, or null for a key Node cannot load. */
export function spkiOfCertificate(cert: X509Certificate): Buffer | null {
  try {
    return canonicalSpki(cert.publicKey);
  } catch {
    return null;
  }
}

function parseCertificate(der: Uint8Array, what: string): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(der));
  } catch {
    throw malformed(`${what} is not an X.509 certificate`);
  }
}

/** Picks the one key, the first certificate holding its public key, and the rest as the chain. */
function assemble(found: Found): PfxContents {
  if (found.keys.length === 0) throw malformed('it holds no private key');
  if (found.keys.length > 1) throw malformed(`it holds ${found.keys.length} private keys; CertDesk imports one`);
  const key = found.keys[0]!;
  const keySpki = spkiOfPrivateKey(key.der);
  const certSpkis = found.certs.map((c, i) => spkiOfCertificate(parseCertificate(c.der, `certificate ${i + 1}`)));
  const leafIndex = certSpkis.findIndex((spki) => spki !== null && spki.equals(keySpki));
  const leaf = found.certs[leafIndex];
  if (!leaf) throw malformed('no certificate in it matches the private key');
  const chain = found.certs.filter((c, i) => i !== leafIndex && !Buffer.from(c.der).equals(leaf.der)).map((c) => c.der);
  return {
    privateKeyPkcs8: key.der,
    certificate: leaf.der,
    chain,
    friendlyName: key.friendlyName ?? leaf.friendlyName,
  };
}
