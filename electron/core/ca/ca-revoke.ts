// Revoking an intermediate CA: its certificate goes on its parent's revoked set, so the parent's next CRL lists
// it (RFC 5280 5.3.1), and the signing-chain check (issuance/signing-chain.ts) refuses every certificate it
// would sign from then on; it still signs its own CRL while certificates it issued run. A root cannot be revoked:
// no CA above it publishes a CRL, so trust in it ends by removing it from the trust stores.
import type { CaRecord, CaRevocationReason } from '../../../shared/domain.js';
import { CA_REVOCATION_REASONS } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { checkedCertRow, getCaRow, resolveCa } from '../issuance/records.js';
import { revokeCertificates } from '../issuance/revocation.js';
import type { Vault } from '../vault/vault.js';

/** A CA revocation reason from text (absent: unspecified). INVALID_INPUT naming the reasons that fit a CA otherwise. */
export function parseCaReason(text: string | undefined): CaRevocationReason {
  const reason = text ?? 'unspecified';
  if ((CA_REVOCATION_REASONS as readonly string[]).includes(reason)) return reason as CaRevocationReason;
  const hint = reason === 'keyCompromise' ? ' (for a CA\'s key, the reason is caCompromise)' : '';
  throw new CertDeskError('INVALID_INPUT', `reason: "${reason}" does not fit a CA certificate${hint}; use one of ${CA_REVOCATION_REASONS.join(', ')}`, { field: 'reason' });
}

/**
 * Revokes intermediate CA `ref` (id or name) with `reason`: its current certificate and every earlier unexpired
 * certificate of the same key its parent signed (same-key renewals), in one step, audited as "ca.revoke" (and
 * "cert.revoke" per certificate). Throws CA_NOT_FOUND, VAULT_TAMPERED, INVALID_INPUT (a root; an issuer outside
 * this vault; a reason that does not fit a CA), ALREADY_REVOKED.
 */
export function revokeCa(vault: Vault, ref: string, reason: CaRevocationReason = 'unspecified'): CaRecord {
  vault.requireUnlocked();
  parseCaReason(reason);
  const ca = resolveCa(vault, ref);
  const cert = checkedCertRow(vault, ca.certificateId, getCaRow(vault, ca.id)!);
  if (cert.issuer_ca_id === null) {
    const why =
      cert.issuer_dn === cert.subject
        ? `is a root (self-signed): no CA above it publishes a CRL that could list it. To end trust in it, remove it from the trust stores that hold it`
        : `was signed by "${cert.issuer_dn}", which is not in this vault, so no CRL here can list it; ask that CA to revoke it`;
    throw new CertDeskError('INVALID_INPUT', `CA "${ca.name}" ${why}`, { ca: ca.name });
  }
  if (cert.status === 'revoked') {
    throw new CertDeskError('ALREADY_REVOKED', `CA "${ca.name}" was already revoked on ${cert.revoked_at} (${cert.revocation_reason})`, { ca: ca.name });
  }
  const earlier = vault.db
    .prepare(`SELECT id FROM certificates WHERE kind = 'ca' AND key_id = ? AND id <> ? AND status = 'valid' AND issuer_ca_id IS NOT NULL AND deleted_at IS NULL AND not_after > ? ORDER BY id`)
    .all(cert.key_id, cert.id, vault.now().toISOString()) as { id: number }[];
  const ids = [cert.id, ...(cert.key_id === null ? [] : earlier.map((r) => r.id))];
  revokeCertificates(vault, ids.map((id) => `id:${id}`), reason, { caCertificates: true });
  vault.audit('ca.revoke', `ca:${ca.id}`, { ca: ca.name, reason, serial: cert.serial, parent: cert.issuer_name, certificates: ids });
  return resolveCa(vault, String(ca.id));
}
