// Which vault certificates `certdesk ad-mapping` maps: named ones, every valid end-entity certificate of a CA,
// or every certificate of a batch; each read as an authenticated record.
import { CertDeskError } from '../../../shared/errors.js';
import { x509 } from '../pki/provider.js';
import { recipientMappingOf } from '../issuance/recipient-directory.js';
import { countCertificates, getCheckedCertRow, listCertificates, resolveCa, resolveCertificate, type CertRow } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { accountKindOf } from './account-kind.js';
import type { AdMappingSubject } from './ad-mapping-format.js';
import { mappingAccount } from './ad-account.js';

export interface AdMappingSelection {
  /** CERT references (id, serial, SHA-256; records.ts resolveCertificate). */
  certificates?: string[];
  /** A CA: all its valid end-entity certificates. */
  ca?: string;
  /** A batch id (the 64 hex digits, or at least its first 16 as the audit log shows them): its certificates. */
  batch?: string;
  /** The account name for a single certificate (ad-account.ts mappingAccount: checked against the certificate's kind). */
  account?: string;
  /** The time a certificate's expiry is judged at; default now. */
  now?: Date;
}

/** 'revoked', 'expired' (notAfter at or before `now`) or 'valid'. */
function stateOf(row: CertRow, now: Date): 'valid' | 'revoked' | 'expired' {
  if (row.status === 'revoked') return 'revoked';
  return Date.parse(row.not_after) <= now.getTime() ? 'expired' : 'valid';
}

/** The subject key identifier of a DER certificate as hex, or null without the extension. */
function skiOf(der: Uint8Array): string | null {
  return new x509.X509Certificate(der).getExtension(x509.SubjectKeyIdentifierExtension)?.keyId.toLowerCase() ?? null;
}

/**
 * Valid (not revoked, not expired at `now`, not deleted) end-entity certificates of the same holder or recipient
 * as `row` whose subject key identifier is `row`'s: the same key (a renewal with --same-key, a CSR signed again),
 * so their X509:<SKI> mapping is the same string as `row`'s. Each row read is checked (VAULT_TAMPERED).
 */
function sameKeyValidCertificates(vault: Vault, row: CertRow, now: Date): number[] {
  const ski = skiOf(new Uint8Array(row.der));
  if (ski === null) return [];
  const ids = vault.db
    .prepare(
      `SELECT id FROM certificates WHERE kind = 'end-entity' AND status = 'valid' AND deleted_at IS NULL AND not_after > ? AND id != ?
         AND (holder = ? OR recipient_id = ?) ORDER BY id`,
    )
    .all(now.toISOString(), row.id, row.holder, row.recipient_id) as { id: number }[];
  return ids.map((r) => getCheckedCertRow(vault, r.id)).filter((r) => Date.parse(r.not_after) > now.getTime() && skiOf(new Uint8Array(r.der)) === ski).map((r) => r.id);
}

/**
 * One certificate as ad-mapping maps it. Its account kind (account-kind.ts accountKindOf) follows its recipient's
 * stored kind as well as its profile: a per-device `vpn` certificate maps to the device's computer account. Without
 * `account`, the recipient's stored account. The recipient is read as an authenticated record (VAULT_TAMPERED).
 */
function subjectOf(vault: Vault, row: CertRow, account: string | undefined, now: Date): AdMappingSubject {
  if (row.kind === 'ca') {
    throw new CertDeskError('INVALID_INPUT', `ad-mapping: certificate ${row.id} (${row.alias ?? row.holder}) is a CA certificate: altSecurityIdentities maps a user's or computer's own certificate; a CA goes into the NTAuth store (certutil -dspublish -f ca.cer NTAuthCA)`, { field: 'certificates', id: row.id });
  }
  const recipient = recipientMappingOf(vault, row.recipient_id);
  const kind = accountKindOf(row.profile_id, recipient?.recipientKind);
  const given = account ?? recipient?.account ?? undefined;
  const acc = given === undefined ? null : mappingAccount(given, kind);
  const state = stateOf(row, now);
  const skiSharedWith = state === 'valid' ? [] : sameKeyValidCertificates(vault, row, now);
  return { der: new Uint8Array(row.der), holder: row.alias ?? row.holder, certificateId: row.id, kind, account: acc?.account ?? null, state, notes: acc?.note ? [acc.note] : [], ...(skiSharedWith.length ? { skiSharedWith } : {}) };
}

/** The ids of a batch's certificates in CSV order, each resume marker checked (VAULT_TAMPERED when changed outside CertDesk). */
function batchCertificates(vault: Vault, ref: string): number[] {
  const id = ref.trim().toLowerCase();
  if (!/^[0-9a-f]{16,64}$/.test(id)) throw new CertDeskError('INVALID_INPUT', `batch: "${ref}" is not a batch id (16 to 64 hex digits, as the audit log shows it)`, { field: 'batch' });
  const batches = vault.db.prepare('SELECT id FROM batches WHERE substr(id, 1, ?) = ?').all(id.length, id) as { id: string }[];
  if (batches.length === 0) throw new CertDeskError('INVALID_INPUT', `batch: no batch ${id}`, { field: 'batch' });
  if (batches.length > 1) throw new CertDeskError('AMBIGUOUS_REFERENCE', `batch: ${id} is the start of ${batches.length} batch ids; give more digits`, { field: 'batch' });
  const rows = vault.db.prepare('SELECT * FROM batch_items WHERE batch_id = ? ORDER BY line').all(batches[0]!.id) as Record<string, string | number | null>[];
  return rows.map((r) => Number(vault.records.check('batch_items', r).certificate_id));
}

/**
 * The certificates to map, in the order given (certificates, then the CA's by expiry, then the batch's by CSV
 * line), each once, with its state (revoked, expired at `now`, valid: formatAdMappings warns about the first two)
 * and, for a revoked or expired one, the valid certificates of the same holder or recipient with the same key
 * (`skiSharedWith`: its X509:<SKI> string maps them too, so the script does not remove it).
 * `account` applies only to a single named certificate and is checked against its kind (account-kind.ts accountKindOf:
 * the recipient's stored kind or the profile's; ad-account.ts: a device's
 * computer account gets its `$`, a user's may not have one). Throws CERT_NOT_FOUND, CA_NOT_FOUND,
 * AMBIGUOUS_REFERENCE, VAULT_TAMPERED, INVALID_INPUT (nothing selected, a CA certificate, an account for several
 * certificates, a malformed account or batch id).
 */
export function selectForAdMapping(vault: Vault, sel: AdMappingSelection): AdMappingSubject[] {
  vault.requireUnlocked();
  const rows: CertRow[] = (sel.certificates ?? []).map((ref) => resolveCertificate(vault, ref));
  if (sel.ca !== undefined) {
    const ca = resolveCa(vault, sel.ca);
    const filter = { caId: ca.id, status: 'valid' as const, kind: 'end-entity' as const };
    for (const c of listCertificates(vault, { ...filter, limit: countCertificates(vault, filter) })) rows.push(getCheckedCertRow(vault, c.id));
  }
  if (sel.batch !== undefined) for (const id of batchCertificates(vault, sel.batch)) rows.push(getCheckedCertRow(vault, id));
  const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
  if (unique.length === 0) throw new CertDeskError('INVALID_INPUT', 'ad-mapping: no certificate selected (name CERTs, --ca CA or --batch ID; a CA without valid certificates selects none)', { field: 'certificates' });
  if (sel.account !== undefined && unique.length !== 1) {
    throw new CertDeskError('INVALID_INPUT', `account: names one account, but ${unique.length} certificates are selected`, { field: 'account' });
  }
  const now = sel.now ?? new Date();
  // Without --account, each certificate's recipient's stored account (checked as an authenticated record).
  return unique.map((r) => subjectOf(vault, r, sel.account, now));
}
