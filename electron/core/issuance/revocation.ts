// Revoking certificates and generating each CA's CRL.
import type { CertificateRecord, RevocationReason } from '../../../shared/domain.js';
import { REVOCATION_REASONS } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { DAY_MS } from '../pki/certificates.js';
import { crlToPem } from '../pki/crl.js';
import type { Vault } from '../vault/vault.js';
import { signCrlOffThread } from '../workers/off-thread.js';
import { withRevocation } from '../vault/revoked-sets.js';
import { loadSigner } from './cas.js';
import { getCaRow, getCertRow, resolveCa, resolveCertificate, toCertificateRecord } from './records.js';
import { checkRevokedSet } from './signing-chain.js';
import { clearWithdrawn, withdrawDeliveries } from '../delivery/withdraw.js';

export function parseReason(text: string | undefined): RevocationReason {
  const reason = (text ?? 'unspecified') as RevocationReason;
  if (!REVOCATION_REASONS.includes(reason)) {
    throw new CertDeskError('INVALID_INPUT', `reason: "${text}" is not an RFC 5280 reason (use one of ${REVOCATION_REASONS.join(', ')})`, { field: 'reason' });
  }
  return reason;
}

export function revokeCertificate(vault: Vault, ref: string, reason: RevocationReason = 'unspecified'): CertificateRecord {
  return revokeCertificates(vault, [ref], reason)[0]!;
}

/**
 * Revokes every certificate named, or none: all references are checked before anything changes (CERT_NOT_FOUND,
 * ALREADY_REVOKED, INVALID_INPUT; VAULT_TAMPERED for a record changed outside CertDesk). Each revocation is
 * added to its CA's revoked set in the same transaction, so the next CRL can prove it lists every one.
 * A CA's certificate is refused (INVALID_INPUT naming the CA and "ca revoke") unless `opts.caCertificates`:
 * revoking a CA is ca/ca-revoke.ts revokeCa's, which revokes every certificate of its key and stops it issuing;
 * revoking one of them here left the CA issuing under a certificate its parent still vouched for.
 */
export function revokeCertificates(vault: Vault, refs: string[], reason: RevocationReason = 'unspecified', opts: { caCertificates?: boolean } = {}): CertificateRecord[] {
  vault.requireUnlocked();
  const rows = refs.map((ref) => resolveCertificate(vault, ref));
  const seen = new Set<number>();
  for (const row of rows) {
    if (seen.has(row.id)) throw new CertDeskError('INVALID_INPUT', `certificate ${row.id} (${row.holder}) is named twice`, { id: row.id });
    seen.add(row.id);
    if (row.status === 'revoked') {
      throw new CertDeskError('ALREADY_REVOKED', `certificate ${row.id} (${row.holder}) was already revoked on ${row.revoked_at} (${row.revocation_reason})`, { id: row.id });
    }
    if (row.kind === 'ca' && !opts.caCertificates) {
      const ca = vault.db
        .prepare("SELECT a.name FROM cas a JOIN certificates c ON c.id = a.certificate_id WHERE a.certificate_id = ? OR (c.key_id IS NOT NULL AND c.key_id = ?) ORDER BY a.id LIMIT 1")
        .get(row.id, row.key_id) as { name: string } | undefined;
      const name = ca ? `CA "${ca.name}"` : 'a CA';
      throw new CertDeskError(
        'INVALID_INPUT',
        `certificate ${row.id} (${row.holder}) is ${name}'s certificate: revoke the CA itself (certdesk ca revoke${ca ? ` "${ca.name}"` : ' CA'}, or Revoke on its Certificate authorities panel), which revokes every certificate of its key and stops it issuing`,
        { id: row.id },
      );
    }
    // RFC 5280 5.3.1: cACompromise is about a CA's key, aACompromise about an attribute authority's; neither
    // describes an end entity's certificate (the revoke dialog does not offer them either).
    if (row.kind === 'end-entity' && (reason === 'caCompromise' || reason === 'aaCompromise')) {
      throw new CertDeskError('INVALID_INPUT', `reason: ${reason} is for ${reason === 'caCompromise' ? "a CA's key" : "an attribute authority's key"}, and certificate ${row.id} (${row.holder}) is an end entity's: use keyCompromise if its key may be known to someone else`, { field: 'reason', id: row.id });
    }
    if (row.issuer_ca_id === null) {
      throw new CertDeskError('INVALID_INPUT', `certificate ${row.id} (${row.holder}) was not issued by a CA in this vault, so no CRL here can revoke it`, { id: row.id });
    }
  }
  const at = vault.now().toISOString();
  const withdrawn = vault.transaction(() => {
    for (const row of rows) {
      vault.records.update('certificates', { id: row.id }, { status: 'revoked', revoked_at: at, revocation_reason: reason, status_changed_at: at });
      const ca = getCaRow(vault, row.issuer_ca_id!)!;
      vault.records.update('cas', { id: ca.id }, withRevocation(vault.records, ca, { id: row.id, serial: row.serial, revoked_at: at, revocation_reason: reason }));
      vault.audit('cert.revoke', `cert:${row.id}`, { holder: row.holder, serial: row.serial, reason });
    }
    // A revoked certificate's bundle is never handed out by a later resume.
    return withdrawDeliveries(vault, rows.map((r) => r.id), 'certificate revoked');
  });
  clearWithdrawn(vault, withdrawn);
  return rows.map((row) => toCertificateRecord(vault, getCertRow(vault, row.id)!));
}

export interface CrlResult {
  ca: string;
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
  entries: number;
  der: Uint8Array;
  pem: string;
}

export interface CrlOptions {
  /** Runs inside the transaction that commits the CRL number (a publish records its pending delivery here). */
  inTransaction?: (caId: number, crlNumber: number) => void;
}

/**
 * Signs a new CRL for the CA listing every certificate it revoked; the CRL number increases by one each time.
 * Before signing: the chain check for a CRL (a revoked CA still signs its own while its certificates run),
 * the CA and profile record sets (an older CA record, with a lower CRL number, is caught), and the CA's
 * revoked set against its certificates' rows. Throws ISSUER_NOT_VALID or VAULT_TAMPERED; nothing is signed then.
 */
export async function generateCrl(vault: Vault, caRef: string, days?: number, opts: CrlOptions = {}): Promise<CrlResult> {
  vault.requireUnlocked();
  const ca = resolveCa(vault, caRef);
  const validDays = days ?? ca.crlDays;
  if (!Number.isInteger(validDays) || validDays < 1 || validDays > 3650) {
    throw new CertDeskError('INVALID_INPUT', `days: the CRL's next update must be 1 to 3650 days away, got ${validDays}`, { field: 'days' });
  }
  const signer = await loadSigner(vault, ca, 'crl');
  const thisUpdate = vault.now();
  const nextUpdate = new Date(thisUpdate.getTime() + validDays * DAY_MS);
  const caRow = vault.records.check('cas', getCaRow(vault, ca.id)!);
  // Exactly the revocations the CA's record vouches for: one removed, changed or set back to valid stops the CRL.
  const revoked = checkRevokedSet(vault, caRow);
  const crlNumber = caRow.crl_number + 1;
  // On a worker thread: signing takes time growing with the square of the entries (see buildCrl).
  const der = await signCrlOffThread({
    issuerDer: new Uint8Array(signer.certificate.rawData),
    privateKey: signer.privateKey,
    keyType: signer.keyType,
    crlNumber,
    thisUpdate,
    nextUpdate,
    entries: revoked.map((r) => ({ serial: r.serial, revokedAt: new Date(r.revoked_at), reason: r.revocation_reason })),
  });
  vault.transaction(() => {
    vault.records.update('cas', { id: ca.id }, { crl_number: crlNumber, last_crl_at: thisUpdate.toISOString(), next_crl_update: nextUpdate.toISOString() });
    vault.audit('crl.generate', `ca:${ca.id}`, { ca: ca.name, crlNumber, entries: revoked.length, nextUpdate: nextUpdate.toISOString() });
    opts.inTransaction?.(ca.id, crlNumber);
  });
  return {
    ca: ca.name,
    crlNumber,
    thisUpdate: thisUpdate.toISOString(),
    nextUpdate: nextUpdate.toISOString(),
    entries: revoked.length,
    der,
    pem: crlToPem(der),
  };
}
