// A CA's CRL settings: the URL written into the certificates it issues from now on (CRL distribution point,
// RFC 5280 4.2.1.13) and how many days each CRL it signs is valid (nextUpdate, RFC 5280 5.1.2.5).
import type { CaRecord } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { checkUrl } from '../issuance/cas.js';
import { resolveCa } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';

export interface CaCrlSettings {
  /** The new CRL URL; null or '' removes it; absent keeps it. */
  crlUrl?: string | null;
  /** Days from one CRL to its next update, 1 to 3650; absent keeps it. */
  crlDays?: number;
}

/**
 * Changes CA `ref`'s CRL URL and publishing interval through its MACed record, audited as "ca.update" with the
 * old and new values. Certificates issued earlier keep the URL they carry; only later ones get the new one.
 * Throws CA_NOT_FOUND, VAULT_TAMPERED, INVALID_INPUT (nothing to change; a URL that is not an absolute http:// or ldap:// URL;
 * crl-days outside 1 to 3650).
 */
export function setCaCrl(vault: Vault, ref: string, req: CaCrlSettings): CaRecord {
  vault.requireUnlocked();
  const ca = resolveCa(vault, ref);
  if (req.crlUrl === undefined && req.crlDays === undefined) {
    throw new CertDeskError('INVALID_INPUT', `CA "${ca.name}": nothing to change (give a CRL URL or a number of CRL days)`, {});
  }
  const changes: { crl_url?: string | null; crl_days?: number } = {};
  const audited: Record<string, { from: unknown; to: unknown }> = {};
  if (req.crlUrl !== undefined) {
    const url = req.crlUrl === null || req.crlUrl.trim() === '' ? null : checkUrl(req.crlUrl.trim());
    changes.crl_url = url;
    audited.crlUrl = { from: ca.crlUrl, to: url };
  }
  if (req.crlDays !== undefined) {
    if (!Number.isInteger(req.crlDays) || req.crlDays < 1 || req.crlDays > 3650) {
      throw new CertDeskError('INVALID_INPUT', `crl-days: must be a whole number from 1 to 3650, got ${req.crlDays}`, { field: 'crlDays' });
    }
    changes.crl_days = req.crlDays;
    audited.crlDays = { from: ca.crlDays, to: req.crlDays };
  }
  vault.transaction(() => {
    vault.records.update('cas', { id: ca.id }, changes);
    vault.audit('ca.update', `ca:${ca.id}`, { ca: ca.name, ...audited });
  });
  return resolveCa(vault, String(ca.id));
}
