// Renewal: a new certificate for the same holder, subject, SANs and profile, from the same CA; a new key by
// default, the same key where the profile allows it. The old certificate is linked to its successor and can
// then be revoked as superseded.
import type { CertificateRecord, PreflightFinding } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { issuingSuccessorOf } from '../ca/ca-state.js';
import { loadSigner } from '../issuance/cas.js';
import { checkIssuerRevocations } from '../issuance/signing-chain.js';
import { CERT_SELECT, checkedProfiles, getCertRow, getProfile, resolveCa, resolveCertificate, toCertificateRecord, type CertRow } from '../issuance/records.js';
import { insertCertificate } from '../issuance/store.js';
import { buildCertificate, randomSerial } from '../pki/certificates.js';
import { exportPkcs8, exportSpki, generateKey } from '../pki/keys.js';
import { x509, type CryptoKey } from '../pki/provider.js';
import { preflightAudit } from '../preflight/run.js';
import { renewalPlan } from '../preflight/renew-plan.js';
import { preflightGate } from '../preflight/vault-plan.js';
import type { Vault } from '../vault/vault.js';
import { profileEkus } from '../issuance/windows-rules.js';
import { readSidExtension } from '../windows/sid-extension.js';

export interface RenewOptions {
  /** Keep the old key pair (only where the profile allows it). */
  sameKey?: boolean;
  days?: number;
  /** The reason to renew despite preflight errors (audited with them); see preflight/run.ts. */
  override?: string | null;
  /** Runs inside the renewal's transaction with the new certificate's id and key (null when reused from a CSR): a pending delivery is recorded here. */
  inTransaction?: (certificateId: number, privateKeyPkcs8: Uint8Array | null) => void;
}

export interface RenewResult {
  record: CertificateRecord;
  previous: CertificateRecord;
  /** The new private key (DER PKCS#8) when one was generated; for the bundle. Null when the key was reused from a CSR. */
  privateKeyPkcs8: Uint8Array | null;
  /** What preflight found about the successor (warnings, and errors the override let through). */
  findings: PreflightFinding[];
}

export async function renewCertificate(vault: Vault, ref: string, opts: RenewOptions = {}): Promise<RenewResult> {
  vault.requireUnlocked();
  const old = resolveCertificate(vault, ref);
  checkIssuerRevocations(vault, old.issuer_ca_id);
  checkRenewable(old);
  const profile = getProfile(vault, old.profile_id!);
  // A CA retired by a new-key renewal signs only CRLs: its certificates renew under the CA that took over.
  const ca = resolveCa(vault, String(issuingSuccessorOf(vault, old.issuer_ca_id!)));
  const sameKey = opts.sameKey ?? old.source === 'csr';
  if (sameKey && !profile.renewSameKey) {
    throw new CertDeskError('PROFILE_VIOLATION', `the ${profile.id} profile renews with a new key: certificate ${old.id} cannot keep its key (drop --same-key, or allow it in the profile)`, { id: old.id });
  }
  if (!sameKey && old.source === 'csr') {
    throw new CertDeskError('KEY_NOT_KEPT', `certificate ${old.id} was signed from a CSR: renew it with its own key (--same-key), or sign a new request`, { id: old.id });
  }
  const signer = await loadSigner(vault, ca);
  const plan = renewalPlan(vault, old, profile, ca, signer.certificate, opts.days);
  const { notBefore, notAfter, keyType, keyUsage, sans } = plan;
  const oldCert = new x509.X509Certificate(old.der);
  const serial = randomSerial();
  // The profile's rules of today, before a key is generated: a renewal may have to follow rules tightened since.
  const preflight = preflightGate(vault, profile, { ...plan, serial }, opts.override);

  let publicKey: x509.PublicKey | CryptoKey;
  let privateKeyPkcs8: Uint8Array | null = null;
  let keyId: string | null = null;
  let newSpki: Uint8Array | null = null;
  if (sameKey) {
    publicKey = oldCert.publicKey;
    keyId = old.key_id;
    if (old.key_id) privateKeyPkcs8 = vault.loadKey(old.key_id);
  } else {
    const key = await generateKey(old.key_type);
    publicKey = key.publicKey;
    privateKeyPkcs8 = await exportPkcs8(key.privateKey);
    newSpki = await exportSpki(key.publicKey);
  }
  const cert = await buildCertificate({
    subject: oldCert.subjectName,
    publicKey,
    serial,
    notBefore,
    notAfter,
    signer,
    keyUsage,
    extendedKeyUsage: profileEkus(profile),
    sans,
    crlUrl: ca.crlUrl,
    // The SID the old certificate carries (its DER is MAC-authenticated) goes on to the new one.
    sid: readSidExtension(old.der),
  });
  const id = vault.transaction(() => {
    if (!sameKey && profile.keepKey) keyId = vault.storeKey(keyType, privateKeyPkcs8!, newSpki!);
    const newId = insertCertificate(vault, {
      cert,
      kind: 'end-entity',
      issuerCaId: ca.id,
      holder: old.holder,
      sans,
      profile: profile.id,
      recipientId: old.recipient_id,
      source: old.source === 'csr' ? 'csr' : 'issued',
      alias: old.alias,
      autoRenew: old.auto_renew === 1,
      keyType,
      keyId,
      renewedFrom: old.id,
    });
    vault.records.update('certificates', { id: old.id }, { superseded_by: newId });
    vault.audit('cert.renew', `cert:${newId}`, { from: old.id, holder: old.holder, serial: cert.serialNumber, sameKey, notAfter: notAfter.toISOString(), ...preflightAudit(preflight) });
    opts.inTransaction?.(newId, privateKeyPkcs8);
    return newId;
  });
  return { record: toCertificateRecord(vault, getCertRow(vault, id)!), previous: toCertificateRecord(vault, getCertRow(vault, old.id)!), privateKeyPkcs8, findings: preflight.findings };
}

function checkRenewable(row: CertRow): void {
  if (row.kind !== 'end-entity') throw new CertDeskError('INVALID_INPUT', `certificate ${row.id} is a CA certificate; create a new CA instead`, { id: row.id });
  if (row.status === 'revoked') throw new CertDeskError('INVALID_INPUT', `certificate ${row.id} (${row.holder}) is revoked; issue a new one instead`, { id: row.id });
  if (row.superseded_by !== null) throw new CertDeskError('INVALID_INPUT', `certificate ${row.id} (${row.holder}) was already renewed by certificate ${row.superseded_by}`, { id: row.id });
  if (!row.profile_id || row.issuer_ca_id === null) {
    throw new CertDeskError('INVALID_INPUT', `certificate ${row.id} (${row.holder}) was not issued here under a profile, so CertDesk cannot renew it`, { id: row.id });
  }
}

/** Certificates due for renewal: valid, not yet renewed, ending within their profile's renew-before days (profiles checked: VAULT_TAMPERED). */
export function dueForRenewal(vault: Vault, caId?: number): CertRow[] {
  const now = vault.now();
  const out: CertRow[] = [];
  for (const p of checkedProfiles(vault)) {
    const until = new Date(now.getTime() + p.renewBeforeDays * 86_400_000).toISOString();
    const rows = vault.db
      .prepare(
        `${CERT_SELECT}
         WHERE c.kind = 'end-entity' AND c.status = 'valid' AND c.deleted_at IS NULL AND c.superseded_by IS NULL
           AND c.profile_id = ? AND c.not_after <= ? ${caId === undefined ? '' : 'AND c.issuer_ca_id = ?'}
         ORDER BY c.not_after, c.id`,
      )
      .all(...[p.id, until, ...(caId === undefined ? [] : [caId])]) as CertRow[];
    out.push(...rows);
  }
  return out.sort((a, b) => (a.not_after < b.not_after ? -1 : a.not_after > b.not_after ? 1 : a.id - b.id));
}
