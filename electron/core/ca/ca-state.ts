// Where a CA stands in its lifecycle (shared/domain.ts CaState), from its checked certificate row: revoked
// (its parent's CRL lists it), retired (renewed with a new key: ca-renew.ts), expired, or active.
import type { CaRecord, CaState } from '../../../shared/domain.js';
import type { CertRow } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';

export interface CaStanding {
  state: CaState;
  /** The state in plain words, for the details panel and `certdesk ca show`. */
  stateText: string;
  successor: { id: number; name: string } | null;
  predecessor: { id: number; name: string } | null;
}

/** The CA whose current certificate is certificate `certId`, if any. */
export function caOfCertificate(vault: Vault, certId: number | null): { id: number; name: string } | null {
  if (certId === null) return null;
  return (vault.db.prepare('SELECT id, name FROM cas WHERE certificate_id = ?').get(certId) as { id: number; name: string } | undefined) ?? null;
}

/**
 * The standing of `ca`, whose current certificate row is `cert` (already checked by the caller). Revoked
 * comes first, then retired, then expired. The successor is the CA whose certificate superseded this CA's
 * (a new-key renewal); the predecessor the CA whose certificate this CA's renewed.
 */
export function caStanding(vault: Vault, ca: CaRecord, cert: CertRow): CaStanding {
  const successor = caOfCertificate(vault, cert.superseded_by);
  const predecessor = caOfCertificate(vault, cert.renewed_from);
  const day = (iso: string | null) => (iso ?? '').slice(0, 10);
  if (cert.status === 'revoked') {
    return { state: 'revoked', stateText: `revoked on ${day(cert.revoked_at)} (${cert.revocation_reason}): it issues nothing more and signs only its own CRL`, successor, predecessor };
  }
  if (cert.superseded_by !== null) {
    const by = successor ? `CA "${successor.name}" issues with a new key` : `certificate ${cert.superseded_by} replaced it`;
    return { state: 'retired', stateText: `retired: ${by}; this one signs only CRLs for what it issued`, successor, predecessor };
  }
  if (ca.status === 'expired') return { state: 'expired', stateText: `expired on ${day(cert.not_after)}: it signs nothing`, successor, predecessor };
  return { state: 'active', stateText: 'active: issues certificates and signs its CRL', successor, predecessor };
}

/**
 * The CA that issues in place of CA `caId`: itself, or, when it was retired by a new-key renewal, its successor
 * (and that one's, if it was retired in turn). A retired CA signs only CRLs, so a certificate it issued is renewed
 * under the CA that took over. Returns `caId` when it is not retired or its successor is not found.
 */
export function issuingSuccessorOf(vault: Vault, caId: number): number {
  const seen = new Set<number>();
  let id = caId;
  while (!seen.has(id)) {
    seen.add(id);
    const row = vault.db.prepare('SELECT c.superseded_by AS by FROM cas a JOIN certificates c ON c.id = a.certificate_id WHERE a.id = ?').get(id) as { by: number | null } | undefined;
    const next = row ? caOfCertificate(vault, row.by) : null;
    if (!next) break;
    id = next.id;
  }
  return id;
}
