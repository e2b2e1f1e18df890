// Certificate authorities: create a root or an intermediate, import an existing CA, load a CA to sign with.
import type { CaRecord, KeyType } from '../../../shared/domain.js';
import { DEFAULT_CA_KEY } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { buildCertificate, randomSerial, validityWindow, type Signer } from '../pki/certificates.js';
import { exportPkcs8, exportSpki, generateKey, importPkcs8, keyMatchesSpki, privateKeyToPkcs8 } from '../pki/keys.js';
import { checkOneCn, commonName, commonNameOf, dnFromName, parseDn, toX509Name } from '../pki/names.js';
import { pathLengthOf } from '../pki/der-integer.js';
import { canonicalPkcs8 } from '../pki/key-compare.js';
import { isPem, pemBlocks } from '../pki/pem.js';
import { x509, type CryptoKey } from '../pki/provider.js';
// CA keys on PKCS#11 tokens (issue 15): the token code itself is imported only when a token key is used.
import type { TokenKeyRequest } from '../pkcs11/ca-token.js';
import { isTokenReference, parseTokenReference } from '../pkcs11/token-ref.js';
import { checkForeignPublicKey } from '../pki/public-key-checks.js';
import type { Vault } from '../vault/vault.js';
import { parsePfxOffThread } from '../workers/off-thread.js';
import { resolveCa, type CertRow } from './records.js';
import { chainOf, checkSigningChain, type SignaturePurpose } from './signing-chain.js';
import { insertCertificate } from './store.js';

export interface CreateCaRequest {
  name: string;
  subject: string;
  keyType?: KeyType;
  days?: number;
  /** The CA (id or name) that signs the new intermediate; absent for a self-signed root. */
  issuer?: string;
  /** basicConstraints pathLenConstraint; roots default to unlimited, intermediates to 0 (issue end-entity certificates only). */
  pathLength?: number | null;
  crlUrl?: string | null;
  crlDays?: number;
  /** Generate the CA's key on this PKCS#11 token (never extractable) instead of in the vault. */
  pkcs11?: TokenKeyRequest;
}

/** The keyUsage of every CA certificate CertDesk signs (created or renewed). */
export const CA_KEY_USAGE = ['digitalSignature', 'keyCertSign', 'cRLSign'] as const;

export async function createCa(vault: Vault, req: CreateCaRequest): Promise<CaRecord> {
  vault.requireUnlocked();
  const name = checkCaName(vault, req.name);
  const rdns = parseDn(req.subject, 'subject');
  checkOneCn(rdns, 'subject');
  // DEFAULT_CA_KEY (RSA-3072): every device and appliance that reads legacy PFX files also chains to RSA CAs.
  const keyType = req.keyType ?? DEFAULT_CA_KEY;
  const crlUrl = req.crlUrl ? checkUrl(req.crlUrl) : null;
  const issuer = req.issuer ? resolveCa(vault, req.issuer) : null;
  const signer = issuer ? await loadSigner(vault, issuer) : null;
  const pathLength = issuer ? intermediatePathLength(issuer, req.pathLength) : (req.pathLength ?? null);
  if (pathLength !== null && (!Number.isInteger(pathLength) || pathLength < 0)) {
    throw new CertDeskError('INVALID_INPUT', `path-length: must be a whole number 0 or more, got ${pathLength}`, { field: 'pathLength' });
  }
  const { notBefore, notAfter } = validityWindow(req.days ?? (issuer ? 1825 : 3650), vault.now(), signer?.certificate);
  // A key on a token (issue 15) is generated there, last, once everything else was checked; undone if the CA is not created.
  const token = req.pkcs11 ? await (await import('../pkcs11/ca-token.js')).generateCaKeyOnToken(req.pkcs11, keyType, name) : null;
  let committed: { caId: number; keyId: string };
  let pkcs8: Uint8Array;
  try {
    const key = token ? null : await generateKey(keyType);
    const cert = await buildCertificate({
      subject: toX509Name(rdns),
      publicKey: token ? new x509.PublicKey(token.spki) : key!.publicKey,
      serial: randomSerial(),
      notBefore,
      notAfter,
      signer: signer ?? { privateKey: token ? (token.privateKey as unknown as CryptoKey) : key!.privateKey, keyType },
      ca: { pathLength },
      keyUsage: [...CA_KEY_USAGE],
      extendedKeyUsage: [],
      sans: [],
      // An intermediate carries its issuer's CRL URL: that is where its own revocation is published.
      crlUrl: issuer?.crlUrl ?? null,
    });
    // What the vault seals: the PKCS#8, or for a token key the token reference (never a PIN).
    pkcs8 = token ? token.sealed : await exportPkcs8(key!.privateKey);
    const spki = token ? token.spki : await exportSpki(key!.publicKey);
    committed = createdCaTransaction(vault, { name, rdns, cert, issuer, keyType, pkcs8, spki, pathLength, crlUrl, crlDays: req.crlDays, notAfter, token: req.pkcs11 });
  } catch (e) {
    token?.abandon();
    throw e;
  }
  token?.keep(vault, committed.keyId);
  pkcs8.fill(0);
  return resolveCa(vault, String(committed.caId));
}

/** createCa's one transaction: key, certificate, CA record and audit entry. */
function createdCaTransaction(
  vault: Vault,
  c: {
    name: string;
    rdns: ReturnType<typeof parseDn>;
    cert: x509.X509Certificate;
    issuer: CaRecord | null;
    keyType: KeyType;
    pkcs8: Uint8Array;
    spki: Uint8Array;
    pathLength: number | null;
    crlUrl: string | null;
    crlDays: number | undefined;
    notAfter: Date;
    token: TokenKeyRequest | undefined;
  },
): { caId: number; keyId: string } {
  const { name, rdns, cert, issuer, keyType, pkcs8, spki, pathLength, crlUrl, notAfter } = c;
  return vault.transaction(() => {
    const keyId = vault.storeKey(keyType, pkcs8, spki);
    const certId = insertCertificate(vault, {
      cert,
      kind: 'ca',
      issuerCaId: issuer?.id ?? null,
      holder: commonName(rdns) ?? name,
      sans: [],
      profile: null,
      recipientId: null,
      source: 'created',
      alias: name,
      autoRenew: false,
      keyType,
      keyId,
    });
    const caId = insertCa(vault, name, certId, pathLength, crlUrl, c.crlDays ?? 30, 'created');
    // A token key: where it is (module, token, key label), never the PIN.
    const onToken = c.token ? { token: { module: c.token.module, token: c.token.token, keyLabel: c.token.keyLabel || name } } : {};
    vault.audit('ca.create', `ca:${caId}`, { name, subject: dnFromName(cert.subjectName), issuer: issuer?.name ?? null, keyType, serial: cert.serialNumber, notAfter: notAfter.toISOString(), pathLength, ...onToken });
    return { caId, keyId };
  });
}

function intermediatePathLength(issuer: CaRecord, requested: number | null | undefined): number {
  if (issuer.pathLength === 0) {
    throw new CertDeskError('PATH_LENGTH_EXCEEDED', `CA "${issuer.name}" has path length 0: it may sign end-entity certificates only, not another CA`, { issuer: issuer.name });
  }
  const max = issuer.pathLength === null ? Infinity : issuer.pathLength - 1;
  const value = requested ?? 0;
  if (value > max) {
    throw new CertDeskError('PATH_LENGTH_EXCEEDED', `path-length ${value} is more than CA "${issuer.name}" allows below it (at most ${max})`, { issuer: issuer.name });
  }
  return value;
}

export interface ImportCaRequest {
  name: string;
  pfx?: { data: Uint8Array; password: string };
  pem?: { cert: Uint8Array; key: Uint8Array; keyPassword?: string };
  /** Adopt the key labelled keyLabel on this PKCS#11 token for the CA certificate `cert` (PEM or DER). */
  pkcs11?: TokenKeyRequest & { cert: Uint8Array };
  crlUrl?: string | null;
  crlDays?: number;
}

export async function importCa(vault: Vault, req: ImportCaRequest): Promise<CaRecord> {
  vault.requireUnlocked();
  const name = checkCaName(vault, req.name);
  let certDer: Uint8Array;
  let pkcs8: Uint8Array | null = null;
  if (req.pkcs11) {
    if (req.pfx || req.pem) throw new CertDeskError('INVALID_INPUT', 'give a key on a token, or a PFX file, or a certificate and a key: one of them', {});
    certDer = readCertificate(req.pkcs11.cert, 'cert');
  } else if (req.pfx) {
    // On a worker thread: the file's KDF iteration count (up to 10 million) sets the cost, not CertDesk.
    const contents = await parsePfxOffThread(req.pfx.data, req.pfx.password);
    certDer = contents.certificate;
    // Stored as CertDesk stores every key: an EC key with explicit curve parameters re-encoded with its named curve.
    pkcs8 = canonicalPkcs8(contents.privateKeyPkcs8, 'key');
    if (pkcs8 !== contents.privateKeyPkcs8) contents.privateKeyPkcs8.fill(0);
  } else if (req.pem) {
    certDer = readCertificate(req.pem.cert, 'cert');
    pkcs8 = privateKeyToPkcs8(req.pem.key, req.pem.keyPassword, 'key');
  } else {
    throw new CertDeskError('INVALID_INPUT', 'give a PFX file or a certificate and a key', {});
  }
  const cert = parseCertificate(certDer, 'cert');
  // The certificate's key is foreign: the RSA exponent and modulus rules run before anything else uses it.
  checkForeignPublicKey(new Uint8Array(cert.publicKey.rawData), 'cert public key');
  const key = pkcs8 ? await importPkcs8(pkcs8, 'key') : null;
  if (pkcs8 && !keyMatchesSpki(pkcs8, new Uint8Array(cert.publicKey.rawData))) {
    throw new CertDeskError('KEY_MISMATCH', 'the private key does not belong to the CA certificate', {});
  }
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (!bc?.ca) throw new CertDeskError('NOT_A_CA', `${dnFromName(cert.subjectName)} is not a CA certificate (basicConstraints cA is not set)`, {});
  const pathLength = pathLengthOf(bc.pathLength, 'cert'); // a string from 2^23 up (asn1-schema)
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  if (ku && !(ku.usages & x509.KeyUsageFlags.keyCertSign)) {
    throw new CertDeskError('NOT_A_CA', `${dnFromName(cert.subjectName)} may not sign certificates (keyUsage lacks keyCertSign)`, {});
  }
  const issuerCaId = await findIssuerInVault(vault, cert);
  const crlUrl = req.crlUrl ? checkUrl(req.crlUrl) : null;
  const spki = new Uint8Array(cert.publicKey.rawData);
  // A key on a token (issue 15): found by label and proven to be the certificate's, after every other check.
  const token = req.pkcs11 ? await (await import('../pkcs11/ca-token.js')).adoptCaKeyOnToken(req.pkcs11, spki, name) : null;
  const keyType = token ? token.keyType : key!.keyType;
  const sealed = token ? token.sealed : pkcs8!;
  let committed: { caId: number; keyId: string };
  try {
    committed = importedCaTransaction(vault, { name, cert, issuerCaId, keyType, sealed, spki, pathLength, crlUrl, crlDays: req.crlDays, from: req.pfx ? 'pfx' : req.pem ? 'pem' : 'pkcs11', token: req.pkcs11 });
  } catch (e) {
    token?.abandon();
    throw e;
  }
  token?.keep(vault, committed.keyId);
  pkcs8?.fill(0);
  return resolveCa(vault, String(committed.caId));
}

/** importCa's one transaction: key (or token reference), certificate, CA record and audit entry. */
function importedCaTransaction(
  vault: Vault,
  c: {
    name: string;
    cert: x509.X509Certificate;
    issuerCaId: number | null;
    keyType: KeyType;
    sealed: Uint8Array;
    spki: Uint8Array;
    pathLength: number | null;
    crlUrl: string | null;
    crlDays: number | undefined;
    from: 'pfx' | 'pem' | 'pkcs11';
    token: TokenKeyRequest | undefined;
  },
): { caId: number; keyId: string } {
  const { name, cert, issuerCaId, pathLength, crlUrl } = c;
  return vault.transaction(() => {
    const keyId = vault.storeKey(c.keyType, c.sealed, c.spki);
    const certId = insertCertificate(vault, {
      cert,
      kind: 'ca',
      issuerCaId,
      holder: commonNameOf(cert.subjectName) ?? name,
      sans: [],
      profile: null,
      recipientId: null,
      source: 'imported',
      alias: name,
      autoRenew: false,
      keyType: c.keyType,
      keyId,
    });
    const caId = insertCa(vault, name, certId, pathLength, crlUrl, c.crlDays ?? 30, 'imported');
    const onToken = c.token ? { token: { module: c.token.module, token: c.token.token, keyLabel: c.token.keyLabel } } : {};
    vault.audit('ca.import', `ca:${caId}`, { name, subject: dnFromName(cert.subjectName), serial: cert.serialNumber, from: c.from, ...onToken });
    return { caId, keyId };
  });
}

/**
 * The CA certificate and its decrypted key, ready to sign, after the chain check (signing-chain.ts): the CA
 * and every CA above it authentic, not revoked (a CRL excepted), expired or not yet valid. Throws
 * ISSUER_NOT_VALID, VAULT_TAMPERED, or CA_KEY_MISSING when the vault does not hold the CA's key.
 */
export async function loadSigner(vault: Vault, ca: CaRecord, purpose: SignaturePurpose = 'certificate'): Promise<Required<Signer>> {
  vault.requireUnlocked();
  const row: CertRow = checkSigningChain(vault, ca.id, purpose).chain[0]!.cert;
  if (!row.key_id) throw new CertDeskError('CA_KEY_MISSING', `CA "${ca.name}" has no private key in this vault`, { ca: ca.name });
  const key = await caPrivateKey(vault, row.key_id, ca.name);
  return { certificate: new x509.X509Certificate(row.der), privateKey: key.privateKey, keyType: key.keyType };
}

/**
 * A CA's private key to sign with: the PKCS#8 the vault keeps, imported, or for a key on a PKCS#11 token
 * (issue 15) a CryptoKey look-alike whose signatures the token makes (pkcs11/token-signer.ts: logs in through
 * the vault's PIN provider when this Vault object has no session; TOKEN_PIN_REQUIRED without one).
 */
export async function caPrivateKey(vault: Vault, keyId: string, caName: string): Promise<{ privateKey: CryptoKey; keyType: KeyType }> {
  const sealed = vault.loadKey(keyId);
  if (isTokenReference(sealed)) {
    const ref = parseTokenReference(sealed, keyId);
    const keyType = vault.records.read('keys', { id: keyId })!.key_type as KeyType; // loadKey checked the row
    const { tokenSigningKey } = await import('../pkcs11/token-signer.js');
    return { privateKey: (await tokenSigningKey(vault, keyId, ref, caName, keyType)) as unknown as CryptoKey, keyType };
  }
  try {
    const key = await importPkcs8(sealed);
    return { privateKey: key.privateKey, keyType: key.keyType };
  } finally {
    sealed.fill(0);
  }
}

/** The CA's certificate followed by its issuers in the vault, up to the root; every record on the way checked (VAULT_TAMPERED). */
export function caChain(vault: Vault, ca: CaRecord): x509.X509Certificate[] {
  return chainOf(vault, ca.id).map((link) => new x509.X509Certificate(link.cert.der));
}

/** Inserts the CA record (MACed) and returns its id; INVALID_INPUT for crl-days outside 1 to 3650. */
export function insertCa(vault: Vault, name: string, certId: number, pathLength: number | null, crlUrl: string | null, crlDays: number, source: 'created' | 'imported'): number {
  if (!Number.isInteger(crlDays) || crlDays < 1 || crlDays > 3650) {
    throw new CertDeskError('INVALID_INPUT', `crl-days: must be a whole number from 1 to 3650, got ${crlDays}`, { field: 'crlDays' });
  }
  const row = vault.records.insert('cas', {
    name,
    certificate_id: certId,
    path_length: pathLength,
    crl_url: crlUrl,
    crl_days: crlDays,
    source,
    created_at: vault.now().toISOString(),
  });
  return row.id as number;
}

/** A new CA name: 1 to 64 characters, not only digits, not used yet (INVALID_INPUT, CA_EXISTS). */
export function checkCaName(vault: Vault, raw: string): string {
  const name = raw.trim();
  if (!name || name.length > 64 || /^\d+$/.test(name)) {
    throw new CertDeskError('INVALID_INPUT', `name: a CA name is 1 to 64 characters and not only digits (digits alone are read as an id), got "${raw}"`, { field: 'name' });
  }
  const clash = vault.db.prepare('SELECT id FROM cas WHERE name = ?').get(name) as { id: number } | undefined;
  if (clash) throw new CertDeskError('CA_EXISTS', `a CA named "${name}" already exists (id ${clash.id})`, { field: 'name' });
  return name;
}

/** A CRL URL as written into certificates: absolute, http:// or ldap://. INVALID_INPUT (field crlUrl) otherwise. */
export function checkUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CertDeskError('INVALID_INPUT', `crl-url: "${url}" is not an absolute URL`, { field: 'crlUrl' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'ldap:') {
    throw new CertDeskError('INVALID_INPUT', `crl-url: use an http:// (or ldap://) URL; clients do not fetch CRLs over ${u.protocol}`, { field: 'crlUrl' });
  }
  return u.toString();
}

/** Reads one certificate from PEM or DER bytes. */
export function readCertificate(data: Uint8Array, field: string): Uint8Array {
  if (!isPem(data)) return data;
  const block = pemBlocks(Buffer.from(data).toString('latin1'), field).find((b) => b.label === 'CERTIFICATE');
  if (!block) throw new CertDeskError('INVALID_INPUT', `${field}: no "BEGIN CERTIFICATE" block found`, { field });
  return block.der;
}

export function parseCertificate(der: Uint8Array, field: string): x509.X509Certificate {
  try {
    return new x509.X509Certificate(der);
  } catch {
    throw new CertDeskError('INVALID_INPUT', `${field}: not an X.509 certificate (PEM or DER)`, { field });
  }
}

/** The vault CA whose subject is this certificate's issuer and whose key verifies its signature, if any. */
async function findIssuerInVault(vault: Vault, cert: x509.X509Certificate): Promise<number | null> {
  const issuerDn = dnFromName(cert.issuerName);
  if (issuerDn === dnFromName(cert.subjectName)) return null;
  const rows = vault.db.prepare(`SELECT cas.id AS ca_id, c.* FROM cas JOIN certificates c ON c.id = cas.certificate_id WHERE c.subject = ?`).all(issuerDn) as (CertRow & {
    ca_id: number;
  })[];
  for (const r of rows) {
    const issuer = new x509.X509Certificate(r.der);
    // The link decides which CA's CRL will list the imported CA: only an authentic CA record is linked to.
    if (await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true })) return vault.records.check('certificates', r).ca_id;
  }
  return null;
}

