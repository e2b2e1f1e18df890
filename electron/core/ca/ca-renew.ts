// Renewing a CA. The model (the help text of `certdesk ca renew` says the same):
// - Same key (the default): a new certificate for the same subject name and key, signed by the CA itself (a
//   root) or by its parent (an intermediate). The CA record points to the new certificate; the old one stays in
//   the certificates table (kind 'ca', superseded_by the new one). Everything the CA signed before still
//   verifies against the new certificate: issuer name, key and key identifier are the same.
// - New key: a new CA record with the same subject name, a new key and its own vault name (default "<name>
//   <year>") and CRL URL. The old CA record keeps its name, key, CRL URL and CRL file, and is retired (its
//   certificate's superseded_by names the new one): signing-chain.ts refuses every certificate it would sign, but
//   it still signs CRLs for what it issued, so revoking those keeps working. Scripts issue with the new name.
//   A CA under K-of-N control needs its shares for it, and its new key is sealed under the same quorum key
//   (quorum/renew.ts): the same officers' shares control the new CA.
// - An intermediate whose parent was retired is re-signed by the parent's successor (same subject, new key): its
//   chain moves to the new parent, and what it signed before still verifies (its own name and key are unchanged).
import type { CaRecord, KeyType } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { buildCertificate, randomSerial, validityWindow, type Signer } from '../pki/certificates.js';
import { exportPkcs8, exportSpki, generateKey } from '../pki/keys.js';
import { x509 } from '../pki/provider.js';
import { CA_KEY_USAGE, caPrivateKey, checkCaName, checkUrl, insertCa, loadSigner } from '../issuance/cas.js';
import { checkedCertRow, getCaRow, getCertRow, resolveCa, type CertRow } from '../issuance/records.js';
import { caOfCertificate } from './ca-state.js';
import { insertCertificate } from '../issuance/store.js';
import type { Vault } from '../vault/vault.js';
import { renewalQuorum, sealRenewedKey } from '../quorum/renew.js';

/** Default validity of a renewed CA certificate, in days: as `ca create` gives a root and an intermediate. */
export const RENEW_DAYS = { root: 3650, intermediate: 1825 } as const;

export interface RenewCaRequest {
  /** Validity of the new certificate in days (default RENEW_DAYS); an intermediate's ends no later than its parent's. */
  days?: number;
  /** A new key pair (a new CA record; the old one is retired). Default false: the same key. */
  newKey?: boolean;
  /** New key only: the new CA's name in the vault (default "<name> <year>"). */
  name?: string;
  /** New key only: the new CA's CRL URL; required when the old CA has one (the old key keeps publishing there). */
  crlUrl?: string | null;
  /** New key only: its type (default: the old key's type). */
  keyType?: KeyType;
}

export interface RenewCaResult {
  /** The CA that issues from now on (the same record for a same-key renewal). */
  ca: CaRecord;
  /** The CA as it was renewed from: for a new key, the retired record. */
  previous: CaRecord;
  newKey: boolean;
}

/**
 * Renews CA `ref` (id or name) as the model above says. Throws CA_NOT_FOUND, VAULT_TAMPERED, CA_KEY_MISSING,
 * INVALID_INPUT (a retired CA; a revoked CA with the same key; a root not self-signed; a new key's CRL URL
 * missing or equal to the old one), CA_EXISTS (the new name), ISSUER_NOT_VALID (the parent cannot sign),
 * VALIDITY_EXCEEDS_ISSUER, PATH_LENGTH_EXCEEDED. Audited as "ca.renew".
 */
export async function renewCa(vault: Vault, ref: string, req: RenewCaRequest = {}): Promise<RenewCaResult> {
  vault.requireUnlocked();
  const ca = resolveCa(vault, ref);
  const cert = checkedCertRow(vault, ca.certificateId, getCaRow(vault, ca.id)!);
  const newKey = req.newKey === true;
  if (!newKey && (req.name !== undefined || req.crlUrl !== undefined || req.keyType !== undefined)) {
    throw new CertDeskError('INVALID_INPUT', 'name, CRL URL and key type are for a renewal with a new key (--new-key); a same-key renewal keeps them', { field: 'newKey' });
  }
  if (cert.superseded_by !== null) {
    const successor = vault.db.prepare('SELECT name FROM cas WHERE certificate_id = ?').get(cert.superseded_by) as { name: string } | undefined;
    throw new CertDeskError('INVALID_INPUT', `CA "${ca.name}" is retired${successor ? `: CA "${successor.name}" took over with a new key; renew that one` : ''}`, { ca: ca.name });
  }
  if (cert.status === 'revoked' && !newKey) {
    throw new CertDeskError('INVALID_INPUT', `CA "${ca.name}" is revoked: a new certificate for the same key would be trusted again; renew with a new key or create a new CA`, { ca: ca.name });
  }
  if (!cert.key_id) throw new CertDeskError('CA_KEY_MISSING', `CA "${ca.name}" has no private key in this vault, so CertDesk cannot renew it`, { ca: ca.name });
  const parent = cert.issuer_ca_id === null ? null : activeParent(vault, resolveCa(vault, String(cert.issuer_ca_id)));
  if (!parent && cert.issuer_dn !== cert.subject) {
    throw new CertDeskError('INVALID_INPUT', `CA "${ca.name}" was signed by "${cert.issuer_dn}", which is not in this vault; that CA renews it`, { ca: ca.name });
  }
  if (parent) checkPathLength(parent, ca);
  const old = new x509.X509Certificate(cert.der);
  const days = req.days ?? (parent ? RENEW_DAYS.intermediate : RENEW_DAYS.root);
  return newKey ? renewWithNewKey(vault, ca, cert, old, parent, days, req) : renewSameKey(vault, ca, cert, old, parent, days);
}

async function renewSameKey(vault: Vault, ca: CaRecord, cert: CertRow, old: x509.X509Certificate, parent: CaRecord | null, days: number): Promise<RenewCaResult> {
  const parentSigner = parent ? await loadSigner(vault, parent) : null;
  let signer: Signer;
  if (parentSigner) signer = parentSigner;
  else {
    // A PKCS#8 from the vault, or a key on a token (issue 15): caPrivateKey tells them apart.
    const key = await caPrivateKey(vault, cert.key_id!, ca.name);
    signer = { privateKey: key.privateKey, keyType: key.keyType };
  }
  const { notBefore, notAfter } = validityWindow(days, vault.now(), parentSigner?.certificate);
  const renewed = await buildCertificate({
    subject: old.subjectName,
    publicKey: old.publicKey,
    serial: randomSerial(),
    notBefore,
    notAfter,
    signer,
    ca: { pathLength: ca.pathLength },
    keyUsage: [...CA_KEY_USAGE],
    extendedKeyUsage: [],
    sans: [],
    crlUrl: parent?.crlUrl ?? null,
  });
  vault.transaction(() => {
    const newId = insertRenewed(vault, ca.name, cert, renewed, parent, cert.key_type, cert.key_id!);
    vault.records.update('cas', { id: ca.id }, { certificate_id: newId });
    vault.audit('ca.renew', `ca:${ca.id}`, { ca: ca.name, newKey: false, serial: renewed.serialNumber, previousSerial: cert.serial, notAfter: notAfter.toISOString(), signedBy: parent?.name ?? ca.name });
  });
  return { ca: resolveCa(vault, String(ca.id)), previous: ca, newKey: false };
}

async function renewWithNewKey(vault: Vault, ca: CaRecord, cert: CertRow, old: x509.X509Certificate, parent: CaRecord | null, days: number, req: RenewCaRequest): Promise<RenewCaResult> {
  const name = newName(vault, ca, req.name);
  const crlUrl = newCrlUrl(ca, req.crlUrl);
  const keyType = req.keyType ?? cert.key_type;
  // A CA under K-of-N control stays under it (quorum/renew.ts): its shares must be given for the renewal.
  const quorum = renewalQuorum(vault, ca);
  const parentSigner = parent ? await loadSigner(vault, parent) : null;
  const { notBefore, notAfter } = validityWindow(days, vault.now(), parentSigner?.certificate);
  const key = await generateKey(keyType);
  const renewed = await buildCertificate({
    subject: old.subjectName,
    publicKey: key.publicKey,
    serial: randomSerial(),
    notBefore,
    notAfter,
    signer: parentSigner ?? { privateKey: key.privateKey, keyType },
    ca: { pathLength: ca.pathLength },
    keyUsage: [...CA_KEY_USAGE],
    extendedKeyUsage: [],
    sans: [],
    crlUrl: parent?.crlUrl ?? null,
  });
  const pkcs8 = await exportPkcs8(key.privateKey);
  const spki = await exportSpki(key.publicKey);
  const id = vault.transaction(() => {
    const keyId = vault.storeKey(keyType, pkcs8, spki);
    const certId = insertRenewed(vault, name, cert, renewed, parent, keyType, keyId);
    const caId = insertCa(vault, name, certId, ca.pathLength, crlUrl, ca.crlDays, 'created');
    const sealed = quorum ? sealRenewedKey(vault, quorum, { keyId, caId, spki, pkcs8 }) : null;
    vault.audit('ca.renew', `ca:${ca.id}`, {
      ca: ca.name,
      newKey: true,
      successor: name,
      successorId: caId,
      keyType,
      serial: renewed.serialNumber,
      previousSerial: cert.serial,
      notAfter: notAfter.toISOString(),
      signedBy: parent?.name ?? name,
      crlUrl,
      ...(sealed ? { quorum: { k: sealed.k, n: sealed.n, holders: sealed.holders, splitId: sealed.splitId, holdersPresent: quorum!.session.holders } } : {}),
    });
    return caId;
  });
  pkcs8.fill(0);
  return { ca: resolveCa(vault, String(id)), previous: resolveCa(vault, String(ca.id)), newKey: true };
}

/** Inserts the renewed CA certificate, linked both ways to the one it renews (renewed_from, superseded_by). */
function insertRenewed(vault: Vault, alias: string, cert: CertRow, renewed: x509.X509Certificate, parent: CaRecord | null, keyType: KeyType, keyId: string): number {
  const newId = insertCertificate(vault, {
    cert: renewed,
    kind: 'ca',
    issuerCaId: parent?.id ?? null,
    holder: cert.holder,
    sans: [],
    profile: null,
    recipientId: null,
    source: 'created',
    alias,
    autoRenew: false,
    keyType,
    keyId,
    renewedFrom: cert.id,
  });
  vault.records.update('certificates', { id: cert.id }, { superseded_by: newId });
  return newId;
}

function newName(vault: Vault, ca: CaRecord, requested: string | undefined): string {
  if (requested !== undefined) return checkCaName(vault, requested);
  const name = `${ca.name} ${vault.now().getUTCFullYear()}`;
  const clash = vault.db.prepare('SELECT id FROM cas WHERE name = ?').get(name) as { id: number } | undefined;
  if (clash) throw new CertDeskError('CA_EXISTS', `a CA named "${name}" already exists (id ${clash.id}): give the new CA a name (--name NAME)`, { field: 'name' });
  return checkCaName(vault, name);
}

function newCrlUrl(ca: CaRecord, requested: string | null | undefined): string | null {
  const url = requested === undefined || requested === null || requested.trim() === '' ? null : checkUrl(requested.trim());
  if (ca.crlUrl && (url === null || url === ca.crlUrl)) {
    throw new CertDeskError(
      'INVALID_INPUT',
      `crl-url: CA "${ca.name}" keeps publishing its CRL at ${ca.crlUrl} for the certificates it issued; give the new key's CRL its own URL`,
      { field: 'crlUrl' },
    );
  }
  return url;
}

/** The CA that signs for `parent` now: itself, or (when retired) its successor, followed to the one not retired. */
function activeParent(vault: Vault, parent: CaRecord): CaRecord {
  const seen = new Set<number>();
  let current = parent;
  while (current.retired && !seen.has(current.id)) {
    seen.add(current.id);
    const successor = caOfCertificate(vault, getCertRow(vault, current.certificateId)!.superseded_by);
    if (!successor) break;
    current = resolveCa(vault, String(successor.id));
  }
  return current;
}

/** The parent must still allow a CA below it with this CA's path length (RFC 5280 4.2.1.9). */
function checkPathLength(parent: CaRecord, ca: CaRecord): void {
  if (parent.pathLength === null) return;
  const max = parent.pathLength - 1;
  if (max < 0 || (ca.pathLength ?? Infinity) > max) {
    throw new CertDeskError('PATH_LENGTH_EXCEEDED', `CA "${parent.name}" allows a CA below it a path length of at most ${max}; CA "${ca.name}" has ${ca.pathLength ?? 'no limit'}`, { issuer: parent.name });
  }
}
