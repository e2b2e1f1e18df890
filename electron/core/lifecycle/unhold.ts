// Releasing a certificate from hold (RFC 5280 5.3.1: certificateHold is the one reason that is not
// permanent; "removeFromCRL" is how a delta CRL says an entry left). CertDesk publishes full CRLs only, so
// a released certificate simply is not on the CA's next CRL: RFC 5280 5.3.1 lets removeFromCRL appear only
// in delta CRLs, which CertDesk does not issue (and a relying party with the earlier full CRL learns of the
// release from the next full one, as with any other change). The CA's revoked set (vault/revoked-sets.ts)
// loses exactly the hold's element in the same transaction, so the next CRL's check still holds.
import type { CertificateRecord } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { getCaRow, getCertRow, resolveCertificate, toCertificateRecord } from '../issuance/records.js';
import { checkRevokedSet } from '../issuance/signing-chain.js';
import { recordedRevokedSet, revocationElement } from '../vault/revoked-sets.js';
import { changeSet } from '../vault/set-digest.js';
import type { Vault } from '../vault/vault.js';

/**
 * Releases certificate `ref` (an id, serial or thumbprint reference, as resolveCertificate takes) from hold:
 * it is valid again (or expired, by its dates), its revocation leaves its CA's revoked set, and the release
 * is audited ("cert.unhold"). Returns the certificate as it now is.
 * Throws CERT_NOT_FOUND; INVALID_INPUT when it is not on hold (valid, or revoked for a permanent reason);
 * VAULT_TAMPERED when its record or its CA's revoked set does not hold (nothing is changed then).
 */
export function releaseHold(vault: Vault, ref: string): CertificateRecord {
  vault.requireUnlocked();
  const row = resolveCertificate(vault, ref);
  if (row.status !== 'revoked') {
    throw new CertDeskError('INVALID_INPUT', `certificate ${row.id} (${row.holder}) is not on hold: it is not revoked, so there is nothing to release`, { id: row.id });
  }
  if (row.revocation_reason !== 'certificateHold') {
    throw new CertDeskError(
      'INVALID_INPUT',
      `certificate ${row.id} (${row.holder}) is not on hold: it was revoked on ${row.revoked_at} for ${row.revocation_reason}, which is permanent (only certificateHold can be released, RFC 5280 5.3.1)`,
      { id: row.id },
    );
  }
  const at = vault.now().toISOString();
  vault.transaction(() => {
    const ca = vault.records.check('cas', getCaRow(vault, row.issuer_ca_id!)!);
    // The set must hold before it changes: removing an element from a set already altered would hide that.
    checkRevokedSet(vault, ca);
    const next = changeSet(recordedRevokedSet(ca), revocationElement(vault.records, { id: row.id, serial: row.serial, revoked_at: row.revoked_at!, revocation_reason: 'certificateHold' }), -1);
    vault.records.update('certificates', { id: row.id }, { status: 'valid', revoked_at: null, revocation_reason: null, status_changed_at: at });
    vault.records.update('cas', { id: ca.id }, { revoked_count: next.count, revoked_digest: next.digest });
    vault.audit('cert.unhold', `cert:${row.id}`, { holder: row.holder, serial: row.serial, heldSince: row.revoked_at });
  });
  return toCertificateRecord(vault, getCertRow(vault, row.id)!);
}
