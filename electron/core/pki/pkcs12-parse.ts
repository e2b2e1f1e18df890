// Reads PKCS#12 files: OpenSSL 3's default (PBES2/AES, HMAC-SHA256), the legacy 3DES/SHA-1 form
// and our own output. The key count and the file's key-derivation work are checked before any KDF
// runs, and the MAC is verified before anything is decrypted.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
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
  positiveIntOf,
  pfxError,
  unsupported,
} from './pkcs12-asn1.js';
import {
  MAC_DIGESTS,
  NULL_PASSWORD,
  type KdfMemo,
  type MacInput,
  type PfxPassword,
  checkMacIterations,
  decryptWith,
  macMatches,
  pfxPassword,
} from './pkcs12-cipher.js';
import { describeInteger, integerValue } from './der-integer.js';
import { KdfBudget, type KdfStep } from './kdf-budget.js';
import { algorithmSteps, macSteps } from './pkcs12-plan.js';
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

/** A key bag as found: plain PKCS#8 bytes, or a shrouded bag not yet decrypted. */
interface FoundKey {
  readonly what: string;
  readonly friendlyName: string | null;
  readonly plain: Uint8Array | null;
  readonly shrouded: { readonly algorithm: InstanceType<typeof pkijs.AlgorithmIdentifier>; readonly ciphertext: Uint8Array } | null;
  /** The KDF work decrypting it takes (none for a plain key bag). */
  readonly steps: KdfStep[];
}

/** An EncryptedData safe, not yet decrypted. */
interface SealedSafe {
  readonly what: string;
  readonly algorithm: InstanceType<typeof pkijs.AlgorithmIdentifier>;
  readonly ciphertext: Uint8Array;
  readonly steps: KdfStep[];
}

interface Found {
  readonly keys: FoundKey[];
  readonly certs: FoundItem[];
}

interface MacPlan {
  readonly input: MacInput;
  readonly expected: Uint8Array;
  readonly candidates: PfxPassword[];
  readonly steps: KdfStep[];
}

/**
 * Reads a PKCS#12 file (RFC 7292) holding one private key and its certificate, plus any chain.
 * Order of work: everything readable without the password is walked first (bags of plain safes,
 * every algorithm's iteration count, the MAC's), the key count and the file's key-derivation work
 * (KDF_WORK_BUDGET, kdf-budget.ts) are checked, then the MAC is verified, the encrypted safes are
 * decrypted and walked, the count and budget are checked again, and only then is the key decrypted.
 * Throws PFX_MALFORMED (structure), PFX_UNSUPPORTED (algorithms, several keys, over the budget),
 * PFX_BAD_PASSWORD (MAC or padding does not verify), INVALID_INPUT (password not a string).
 */
export async function parsePfx(der: Uint8Array, password: string): Promise<PfxContents> {
  return parsePfxWith(der, password);
}

/**
 * parsePfx, finding in `memo` the keys a derivation with the same inputs already made (buildPfx's
 * read-back check: pkcs12-cipher.ts KdfMemo) and adding the ones it derives.
 */
export async function parsePfxWith(der: Uint8Array, password: string, memo?: KdfMemo): Promise<PfxContents> {
  if (!(der instanceof Uint8Array)) throw malformed('expected the file content as bytes');
  if (typeof password !== 'string') throw new CertDeskError('INVALID_INPUT', 'the PKCS#12 password must be a string');
  const root = decodeAsn1(der, 'the file');
  const pfx = parseWith('PFX', () => new pkijs.PFX({ schema: root }));
  const [versionBlock, , macBlock] = childrenOf(root, 'PFX');
  const version = integerValue(versionBlock);
  if (version !== 3n) throw malformed(`PFX version ${version === undefined ? 'is not an INTEGER' : describeInteger(version)} (expected 3)`);
  const authSafe = authenticatedSafeBytes(pfx);
  const mac = macPlan(pfx, macBlock, password, memo);
  const contentInfos = parseWith('AuthenticatedSafe', () => new pkijs.AuthenticatedSafe({ schema: decodeAsn1(authSafe, 'AuthenticatedSafe') }));
  const found: Found = { keys: [], certs: [] };
  const sealed: SealedSafe[] = [];
  for (const [i, contentInfo] of contentInfos.safeContents.entries()) {
    const what = `SafeContents ${i + 1}`;
    const plain = plainOrSealed(contentInfo, what);
    if (plain instanceof Uint8Array) collectBags(decodeAsn1(plain, what), found, what, 0);
    else sealed.push(plain);
  }
  // Everything the password is not needed for has been read: refuse now, before any KDF work.
  refuseSeveralKeys(found.keys);
  const budget = new KdfBudget('the PKCS#12 file', 'PFX_UNSUPPORTED');
  budget.ensure([...(mac?.steps ?? []), ...sealed.flatMap((s) => s.steps), ...found.keys.flatMap((k) => k.steps)]);
  const ctx = checkMac(mac, password, authSafe, budget, memo);
  for (const safe of sealed) {
    budget.spend(safe.steps);
    const bytes = await decryptWith(safe.algorithm, safe.ciphertext, ctx.password, safe.what);
    collectBags(decodeDecrypted(bytes, ctx, safe.what), found, safe.what, 0);
  }
  refuseSeveralKeys(found.keys);
  const key = found.keys[0];
  if (!key) throw malformed('it holds no private key');
  budget.spend(key.steps);
  const { der: keyDer, key: keyObject } = await keyOf(key, ctx);
  return assemble(keyDer, keyObject, key.friendlyName, found.certs);
}

/** Only password integrity mode: the AuthenticatedSafe sits in a pkcs7-data ContentInfo. */
function authenticatedSafeBytes(pfx: InstanceType<typeof pkijs.PFX>): Uint8Array {
  const type = pfx.authSafe.contentType;
  if (type === OID.signedData) throw unsupported('integrity mode (public-key signature)', type);
  if (type !== OID.data) throw malformed(`authSafe has content type ${type}`);
  return octetsOf(pfx.authSafe.content, 'authSafe content');
}

/**
 * The MAC's parameters and the passwords to try, or null for a file without a MAC. An empty
 * password is tried both as "" and as OpenSSL's NULL password, as OpenSSL's own PKCS12_parse does.
 * The iteration count is read from the MacData INTEGER itself (pkijs reads 2^23 and up as 0).
 */
function macPlan(pfx: InstanceType<typeof pkijs.PFX>, macBlock: Asn1 | undefined, password: string, memo?: KdfMemo): MacPlan | null {
  if (!pfx.macData || !macBlock) return null;
  const digestOid = pfx.macData.mac.digestAlgorithm.algorithmId;
  const hash = MAC_DIGESTS[digestOid];
  if (!hash) throw unsupportedAlgorithm('MAC algorithm', digestOid);
  const iterationsBlock = childrenOf(macBlock, 'MacData')[2];
  const iterations = iterationsBlock === undefined ? 1 : positiveIntOf(iterationsBlock, 'MAC iteration count');
  checkMacIterations(iterations);
  const input = { hash, salt: octetsOf(pfx.macData.macSalt, 'MAC salt'), iterations };
  const expected = octetsOf(pfx.macData.mac.digest, 'MAC value');
  const candidates = password === '' ? [pfxPassword('', memo), NULL_PASSWORD] : [pfxPassword(password, memo)];
  return { input, expected, candidates, steps: macSteps(hash, iterations, candidates.length) };
}

/** Verifies the MAC and returns the password encoding that verified it. */
function checkMac(mac: MacPlan | null, password: string, authSafe: Uint8Array, budget: KdfBudget, memo?: KdfMemo): ReadContext {
  if (!mac) return { password: pfxPassword(password, memo), macVerified: false };
  const match = mac.candidates.find((c, i) => {
    budget.spend([mac.steps[i]!]);
    return macMatches(mac.input, c, authSafe, mac.expected);
  });
  if (!match) throw pfxError('PFX_BAD_PASSWORD', 'the PKCS#12 MAC does not verify: wrong password or damaged file');
  return { password: match, macVerified: true };
}

/** The SafeContents bytes of a plain ContentInfo, or an EncryptedData one to decrypt later. */
function plainOrSealed(contentInfo: InstanceType<typeof pkijs.ContentInfo>, what: string): Uint8Array | SealedSafe {
  switch (contentInfo.contentType) {
    case OID.data:
      return octetsOf(contentInfo.content, what);
    case OID.encryptedData: {
      const encrypted = parseWith(`${what} EncryptedData`, () => new pkijs.EncryptedData({ schema: contentInfo.content }));
      const info = encrypted.encryptedContentInfo;
      if (!info.encryptedContent) throw malformed(`${what} has no encrypted content`);
      const ciphertext = octetsOf(info.encryptedContent, `${what} encrypted content`);
      const algorithm = info.contentEncryptionAlgorithm;
      return { what, algorithm, ciphertext, steps: algorithmSteps(algorithm.algorithmId, algorithm.algorithmParams, what) };
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
// does not know and re-parses every certificate, while we only need the bytes. Nothing is
// decrypted here: shrouded key bags are noted with the KDF work they will take.
function collectBags(root: Asn1, found: Found, what: string, depth: number): void {
  if (!(root instanceof asn1js.Sequence)) throw malformed(`${what} is not a SEQUENCE`);
  for (const [j, bag] of childrenOf(root, what).entries()) {
    collectBag(bag, found, `${what} bag ${j + 1}`, depth);
  }
}

function collectBag(bag: Asn1, found: Found, what: string, depth: number): void {
  const [idBlock, valueBlock, attributesBlock] = childrenOf(bag, what);
  const bagId = oidOf(idBlock, `${what} type`);
  const value = explicitZero(valueBlock, what);
  const friendlyName = attributesBlock ? friendlyNameOf(attributesBlock, what) : null;
  switch (bagId) {
    case OID.keyBag:
      found.keys.push({ what, friendlyName, plain: value.valueBeforeDecodeView.slice(), shrouded: null, steps: [] });
      return;
    case OID.shroudedKeyBag: {
      const shrouded = parseWith(what, () => new pkijs.PKCS8ShroudedKeyBag({ schema: value }));
      const algorithm = shrouded.encryptionAlgorithm;
      const ciphertext = octetsOf(shrouded.encryptedData, `${what} encrypted key`);
      const steps = algorithmSteps(algorithm.algorithmId, algorithm.algorithmParams, what);
      found.keys.push({ what, friendlyName, plain: null, shrouded: { algorithm, ciphertext }, steps });
      return;
    }
    case OID.certBag:
      found.certs.push({ der: certificateOf(value, what), friendlyName });
      return;
    case OID.safeContentsBag:
      if (depth >= MAX_BAG_NESTING) throw malformed(`${what}: SafeContents nested too deeply`);
      collectBags(value, found, what, depth + 1);
      return;
    default:
      return; // CRL and secret bags, and private extensions: nothing CertDesk imports
  }
}

/** CertDesk imports one key: more is refused naming how many and their friendly names. */
function refuseSeveralKeys(keys: readonly FoundKey[]): void {
  if (keys.length < 2) return;
  const named = keys.filter((k) => k.friendlyName !== null).map((k) => JSON.stringify(clip(k.friendlyName!)));
  const unnamed = keys.length - named.length;
  const parts = [
    ...(named.length ? [`friendly names ${named.slice(0, 5).join(', ')}${named.length > 5 ? ` and ${named.length - 5} more` : ''}`] : []),
    ...(unnamed ? [`${unnamed} without a friendly name`] : []),
  ];
  throw pfxError(
    'PFX_UNSUPPORTED',
    `the PKCS#12 file holds ${keys.length} private keys (${parts.join('; ')}); CertDesk imports a file with one key and its certificate`,
  );
}

function clip(text: string): string {
  return text.length <= 64 ? text : `${text.slice(0, 61)}...`;
}

/** The key's PKCS#8 bytes and the key loaded from them (loaded once: OpenSSL 3 takes about a millisecond per load). */
async function keyOf(key: FoundKey, ctx: ReadContext): Promise<{ der: Uint8Array; key: KeyObject }> {
  const der = key.plain ?? (await decryptWith(key.shrouded!.algorithm, key.shrouded!.ciphertext, ctx.password, key.what));
  return { der, key: pkcs8Checked(der, ctx, key.what) };
}

/** The private key in `der` when the bytes are a PKCS#8 private key Node can load. */
function pkcs8Checked(der: Uint8Array, ctx: ReadContext, what: string): KeyObject {
  try {
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
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

/** Picks the first certificate holding the key's public key as the leaf, the rest as the chain. */
function assemble(keyDer: Uint8Array, key: KeyObject, keyName: string | null, certs: readonly FoundItem[]): PfxContents {
  const keySpki = canonicalSpki(key);
  const certSpkis = certs.map((c, i) => spkiOfCertificate(parseCertificate(c.der, `certificate ${i + 1}`)));
  const leafIndex = certSpkis.findIndex((spki) => spki !== null && spki.equals(keySpki));
  const leaf = certs[leafIndex];
  if (!leaf) throw malformed('no certificate in it matches the private key');
  const chain = certs.filter((c, i) => i !== leafIndex && !Buffer.from(c.der).equals(leaf.der)).map((c) => c.der);
  return {
    privateKeyPkcs8: keyDer,
    certificate: leaf.der,
    chain,
    friendlyName: keyName ?? leaf.friendlyName,
  };
}
