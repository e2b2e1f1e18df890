// What a renewal would sign, as preflight sees it: shared by the renewal itself and the renew dialog's preview.
import type { CaRecord, PreflightFinding, Profile, San } from '../../../shared/domain.js';
import { x509 } from '../pki/provider.js';
import { keyUsageFor } from '../pki/certificates.js';
import { readSubject } from '../pki/names.js';
import { checkSigningChain } from '../issuance/signing-chain.js';
import { getProfile, resolveCa, resolveCertificate, type CertRow } from '../issuance/records.js';
import { profileEkus } from '../issuance/windows-rules.js';
import type { Vault } from '../vault/vault.js';
import { readSidExtension } from '../windows/sid-extension.js';
import { plannedValidity } from './validity.js';
import { previewFindings, type SigningPlan } from './vault-plan.js';

/**
 * The successor of `old` as preflight checks it: the old subject, SANs, key type and SID (from its
 * MAC-authenticated DER), the profile's usages of today, `days` (else the profile's validity) from the vault's
 * now, cut to the issuer's end (validity.ts plannedValidity). Throws INVALID_NAME for a subject CertDesk no longer
 * reads.
 */
export function renewalPlan(vault: Vault, old: CertRow, profile: Profile, ca: CaRecord, issuer: x509.X509Certificate, days: number | undefined): Omit<SigningPlan, 'serial'> {
  const oldCert = new x509.X509Certificate(old.der);
  const now = vault.now();
  return {
    subject: readSubject(new Uint8Array(oldCert.subjectName.toArrayBuffer()), `certificate ${old.id} subject`),
    sans: JSON.parse(old.sans) as San[],
    keyType: old.key_type,
    keyUsage: keyUsageFor(profile.keyUsage, old.key_type),
    extendedKeyUsage: profileEkus(profile),
    ...plannedValidity(days ?? profile.validityDays, now, issuer),
    now,
    issuer,
    crlUrl: ca.crlUrl,
    sid: readSidExtension(old.der) ?? null,
  };
}

/** What the renew dialog shows before renewing: the findings, and the days and end the successor would get. */
export interface RenewalPreview {
  findings: PreflightFinding[];
  days: number;
  notAfter: string;
}

/**
 * The renew dialog's preview of renewing the certificate `ref` with `days` (else its profile's validity): preflight's
 * findings (no serial yet) and the end date. Needs no CA key. Throws CERT_NOT_FOUND, PROFILE_NOT_FOUND,
 * ISSUER_NOT_VALID (the CA cannot sign: signing-chain.ts), INVALID_INPUT for days out of range, VAULT_LOCKED.
 */
export function previewRenewal(vault: Vault, ref: string, days: number | undefined): RenewalPreview {
  vault.requireUnlocked();
  const old = resolveCertificate(vault, ref);
  const profile = getProfile(vault, old.profile_id!);
  const ca = resolveCa(vault, String(old.issuer_ca_id));
  const issuer = new x509.X509Certificate(checkSigningChain(vault, ca.id, 'certificate').chain[0]!.cert.der);
  const plan = renewalPlan(vault, old, profile, ca, issuer, days);
  return { findings: previewFindings(vault, profile, plan), days: days ?? profile.validityDays, notAfter: plan.notAfter.toISOString() };
}
