// Reading certificates, CAs, profiles and recipients from the vault, and resolving the references
// people type (a CA's id or name; a certificate's id, hex serial or SHA-256 thumbprint).
import type {
  CaRecord,
  CertificateRecord,
  CertKind,
  CertSource,
  CertStatus,
  KeyType,
  Profile,
  ProfileId,
  Recipient,
  RevocationReason,
  San,
} from '../../../shared/domain.js';
import { PROFILE_IDS } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { toPem } from '../pki/pem.js';
import { tamperedRecord } from '../vault/record-store.js';
import { prepared } from '../vault/statements.js';
import { certificateTextMatch, searchMatch, syncSearchIndex } from '../search/search-index.js';
import type { Row } from '../vault/record-specs.js';
import type { Vault } from '../vault/vault.js';

export interface CertRow {
  id: number;
  kind: CertKind;
  issuer_ca_id: number | null;
  issuer_name: string | null;
  issuer_dn: string;
  serial: string;
  subject: string;
  holder: string;
  sans: string;
  profile_id: ProfileId | null;
  recipient_id: number | null;
  source: CertSource;
  status: 'valid' | 'revoked';
  status_changed_at: string;
  revoked_at: string | null;
  revocation_reason: RevocationReason | null;
  issued_at: string;
  not_before: string;
  not_after: string;
  alias: string | null;
  auto_renew: number;
  key_type: KeyType;
  key_id: string | null;
  sha1: string;
  sha256: string;
  der: Buffer;
  renewed_from: number | null;
  superseded_by: number | null;
  deleted_at: string | null;
  /** The record's MAC (vault/record-store.ts). */
  mac: string | null;
  /** From the recipients join in CERT_SELECT. */
  r_kind: Recipient['kind'] | null;
  r_name: string | null;
  r_email: string | null;
  r_phone: string | null;
  r_description: string | null;
  r_sid: string | null;
  r_account: string | null;
}

// The recipient comes in the same query (one row per certificate), so a list of N certificates is one query, not N + 1.
export const CERT_SELECT = `SELECT c.*, ic.name AS issuer_name, r.kind AS r_kind, r.name AS r_name, r.email AS r_email, r.phone AS r_phone, r.description AS r_description, r.sid AS r_sid, r.account AS r_account
  FROM certificates c LEFT JOIN cas ic ON ic.id = c.issuer_ca_id LEFT JOIN recipients r ON r.id = c.recipient_id`;

/** Expired is derived from the clock, so it can never be stale; its "last changed" time is the end date. */
export function effectiveStatus(row: Pick<CertRow, 'status' | 'not_after' | 'status_changed_at'>, now: Date): { status: CertStatus; changedAt: string } {
  if (row.status === 'revoked') return { status: 'revoked', changedAt: row.status_changed_at };
  if (row.not_after <= now.toISOString()) return { status: 'expired', changedAt: row.not_after };
  return { status: 'valid', changedAt: row.status_changed_at };
}

export function toCertificateRecord(vault: Vault, row: CertRow): CertificateRecord {
  const st = effectiveStatus(row, vault.now());
  return {
    id: row.id,
    kind: row.kind,
    issuerCaId: row.issuer_ca_id,
    issuerName: row.issuer_name,
    serial: row.serial,
    subject: row.subject,
    holder: row.holder,
    sans: JSON.parse(row.sans) as San[],
    profile: row.profile_id,
    recipient: recipientOf(row),
    source: row.source,
    status: st.status,
    statusChangedAt: st.changedAt,
    revokedAt: row.revoked_at,
    revocationReason: row.revocation_reason,
    issuedAt: row.issued_at,
    notBefore: row.not_before,
    notAfter: row.not_after,
    alias: row.alias,
    autoRenew: row.auto_renew === 1,
    keyType: row.key_type,
    hasKey: row.key_id !== null,
    sha1: row.sha1,
    sha256: row.sha256,
    pem: toPem(row.der),
    renewedFrom: row.renewed_from,
    supersededBy: row.superseded_by,
    deleted: row.deleted_at !== null,
  };
}

export function getCertRow(vault: Vault, id: number): CertRow | undefined {
  return prepared(vault.db, `${CERT_SELECT} WHERE c.id = ?`).get(id) as CertRow | undefined;
}

/** The certificate another record refers to (a delivery, a CA), checked: VAULT_TAMPERED when it is missing or was changed outside CertDesk. */
export function getCheckedCertRow(vault: Vault, id: number): CertRow {
  const row = getCertRow(vault, id);
  if (!row) throw tamperedRecord('certificates', { id, holder: null }, 'is missing');
  return vault.records.check('certificates', row);
}

/**
 * Resolves CERT: a numeric id, a hex serial (colons allowed) or a SHA-256 thumbprint. Deleted certificates are
 * not found (CERT_NOT_FOUND); a serial used by several CAs is AMBIGUOUS_REFERENCE. The row is checked: every
 * caller decides something from it (revoke, renew, export, delete, show), so a row changed outside CertDesk
 * is VAULT_TAMPERED.
 */
export function resolveCertificate(vault: Vault, ref: string): CertRow {
  return vault.records.check('certificates', findCertificate(vault, ref));
}

/**
 * A certificate by reference. Prefixed forms say what they are: "id:12", "serial:00" (hex, colons and
 * spaces allowed, leading zeros ignored), "sha256:<64 hex>". A plain number under 16 digits is an id only; other
 * plain text is tried as a SHA-256 thumbprint (64 hex), then as a hex serial.
 */
function findCertificate(vault: Vault, ref: string): CertRow {
  const text = ref.trim();
  const prefixed = /^(id|serial|sha256):(.*)$/i.exec(text);
  const kind = prefixed ? prefixed[1]!.toLowerCase() : null;
  const value = prefixed ? prefixed[2]!.trim() : text;
  if ((kind === null || kind === 'id') && /^\d+$/.test(value) && value.length < 16) {
    const row = vault.db.prepare(`${CERT_SELECT} WHERE c.id = ? AND c.deleted_at IS NULL`).get(Number(value)) as CertRow | undefined;
    if (row) return row;
    // A plain number is an id and nothing else: falling back to a serial would make "show 99" mean another
    // certificate once id 99 exists. A serial made only of digits is written "serial:99".
    if (kind === null) {
      throw new CertDeskError('CERT_NOT_FOUND', `no certificate "${ref}": no certificate has the id ${value} (for the serial ${value}, write serial:${value})`, { ref });
    }
  }
  const hex = value.replace(/[:\s]/g, '').toLowerCase();
  if (kind !== 'id' && /^[0-9a-f]+$/.test(hex)) {
    if ((kind === null || kind === 'sha256') && hex.length === 64) {
      const row = vault.db.prepare(`${CERT_SELECT} WHERE c.sha256 = ? AND c.deleted_at IS NULL`).get(hex) as CertRow | undefined;
      if (row) return row;
    }
    // Serial 0 is stored "00": both sides lose their leading zeros, so "0", "00" and "serial:0" all find it.
    const rows = kind === 'sha256' ? [] : (vault.db.prepare(`${CERT_SELECT} WHERE ltrim(c.serial, '0') = ltrim(?, '0') AND c.deleted_at IS NULL`).all(hex) as CertRow[]);
    if (rows.length === 1) return rows[0]!;
    if (rows.length > 1) {
      throw new CertDeskError('AMBIGUOUS_REFERENCE', `certificate "${ref}": serial used by ${rows.length} CAs; use the id or SHA-256 thumbprint (ids ${rows.map((r) => r.id).join(', ')})`, { ref });
    }
  }
  throw new CertDeskError('CERT_NOT_FOUND', `no certificate "${ref}" (give an id, a hex serial or a SHA-256 thumbprint; or id:N, serial:HEX, sha256:HEX)`, { ref });
}

export interface CertificateFilter {
  caId?: number;
  status?: CertStatus;
  profile?: ProfileId;
  recipientId?: number;
  expiringWithinDays?: number;
  search?: string;
  kind?: CertKind;
  limit?: number;
  offset?: number;
}

/**
 * The WHERE clause (over `certificates c`) of a certificate filter and its arguments; listCertificates,
 * countCertificates and the table's pages (core/query/cert-pages.ts) share it. A search first indexes the
 * rows changed since the last one (a write). `instants` are the end dates the time conditions compare with
 * (now, and the end of an expiry window): the set matched changes when a certificate's end date passes one.
 */
export function certificateWhere(vault: Vault, f: CertificateFilter): { where: string; args: (string | number)[]; instants: string[] } {
  const now = vault.now().toISOString();
  const where = ['c.deleted_at IS NULL'];
  const args: (string | number)[] = [];
  const instants: string[] = [];
  if (f.kind) {
    // A literal, not a parameter: SQLite uses an index made for "kind = 'end-entity'" only when it sees the value.
    if (f.kind !== 'ca' && f.kind !== 'end-entity') throw new CertDeskError('INVALID_INPUT', `kind: "ca" or "end-entity", got "${String(f.kind)}"`, { field: 'kind' });
    where.push(`c.kind = '${f.kind}'`);
  }
  if (f.caId !== undefined) {
    where.push('c.issuer_ca_id = ?');
    args.push(f.caId);
  }
  if (f.profile) {
    where.push('c.profile_id = ?');
    args.push(f.profile);
  }
  if (f.recipientId !== undefined) {
    where.push('c.recipient_id = ?');
    args.push(f.recipientId);
  }
  if (f.status === 'revoked') where.push(`c.status = 'revoked'`);
  if (f.status === 'valid') {
    where.push(`c.status = 'valid' AND c.not_after > ?`);
    args.push(now);
    instants.push(now);
  }
  if (f.status === 'expired') {
    where.push(`c.status = 'valid' AND c.not_after <= ?`);
    args.push(now);
    instants.push(now);
  }
  if (f.expiringWithinDays !== undefined) {
    const until = new Date(vault.now().getTime() + f.expiringWithinDays * 86_400_000).toISOString();
    where.push(`c.status = 'valid' AND c.not_after > ? AND c.not_after <= ?`);
    args.push(now, until);
    instants.push(now, until);
  }
  if (f.search?.trim()) {
    // The full-text index (core/search/search-index.ts), brought up to date first; a LIKE over the indexed
    // values only for a 1-2 character search with no letter or digit, which no word index can answer.
    syncSearchIndex(vault.db);
    const match = searchMatch('certificates', f.search, 'c.id') ?? certificateTextMatch(vault.db, f.search);
    where.push(match.sql);
    args.push(...match.args);
  }
  return { where: where.join(' AND '), args, instants };
}

/** Lists certificates, soonest expiry first. Runs on indexes: expiry and issuer filters stay fast on large vaults. */
export function listCertificates(vault: Vault, f: CertificateFilter = {}): CertificateRecord[] {
  const { where, args } = certificateWhere(vault, f);
  const sql = `${CERT_SELECT} WHERE ${where} ORDER BY c.not_after, c.id LIMIT ? OFFSET ?`;
  const rows = vault.db.prepare(sql).all(...args, f.limit ?? 1000, f.offset ?? 0) as CertRow[];
  return rows.map((r) => toCertificateRecord(vault, r));
}

/** How many certificates a filter matches (limit and offset ignored): the table's scroll height. */
export function countCertificates(vault: Vault, f: CertificateFilter = {}): number {
  const { where, args } = certificateWhere(vault, f);
  return (vault.db.prepare(`SELECT count(*) AS n FROM certificates c WHERE ${where}`).get(...args) as { n: number }).n;
}

export interface CaRow {
  id: number;
  name: string;
  certificate_id: number;
  path_length: number | null;
  crl_url: string | null;
  crl_number: number;
  crl_days: number;
  last_crl_at: string | null;
  next_crl_update: string | null;
  source: 'created' | 'imported';
  created_at: string;
  /** The CA's revoked set (vault/revoked-sets.ts). */
  revoked_count: number;
  revoked_digest: string;
  mac: string | null;
}

export function getCaRow(vault: Vault, id: number): CaRow | undefined {
  return prepared(vault.db, 'SELECT * FROM cas WHERE id = ?').get(id) as CaRow | undefined;
}

/** The CA as the lists show it. `cert` is its certificate's row when the caller has it (checked) already. */
export function toCaRecord(vault: Vault, ca: CaRow, cert: CertRow = getCertRow(vault, ca.certificate_id)!): CaRecord {
  return {
    id: ca.id,
    name: ca.name,
    certificateId: cert.id,
    subject: cert.subject,
    serial: cert.serial,
    issuerCaId: cert.issuer_ca_id,
    pathLength: ca.path_length,
    keyType: cert.key_type,
    notBefore: cert.not_before,
    notAfter: cert.not_after,
    status: effectiveStatus(cert, vault.now()).status,
    crlUrl: ca.crl_url,
    crlNumber: ca.crl_number,
    crlDays: ca.crl_days,
    lastCrlAt: ca.last_crl_at,
    nextCrlUpdate: ca.next_crl_update,
    sha1: cert.sha1,
    sha256: cert.sha256,
    source: ca.source,
    hasKey: cert.key_id !== null,
    retired: cert.superseded_by !== null,
  };
}

export function listCas(vault: Vault): CaRecord[] {
  const rows = vault.db.prepare('SELECT * FROM cas ORDER BY id').all() as CaRow[];
  return rows.map((r) => toCaRecord(vault, r));
}

/**
 * Resolves CA: its numeric id or its name (case-insensitive); CA_NOT_FOUND names the CAs there are. The CA's
 * record and its certificate's are checked (VAULT_TAMPERED when changed outside CertDesk): what callers take
 * from it (CRL URL, path length, key) goes into what they sign.
 */
export function resolveCa(vault: Vault, ref: string): CaRecord {
  const text = ref.trim();
  let row = vault.db.prepare('SELECT * FROM cas WHERE name = ?').get(text) as CaRow | undefined;
  if (!row && /^\d+$/.test(text)) row = vault.db.prepare('SELECT * FROM cas WHERE id = ?').get(Number(text)) as CaRow | undefined;
  if (!row) {
    const names = (vault.db.prepare('SELECT name FROM cas ORDER BY id').all() as { name: string }[]).map((r) => r.name);
    throw new CertDeskError('CA_NOT_FOUND', `no CA "${ref}"${names.length ? ` (the vault has: ${names.join(', ')})` : ' (the vault has no CA yet: create one with "certdesk ca create")'}`, { ref });
  }
  vault.records.check('cas', row);
  return toCaRecord(vault, row, checkedCertRow(vault, row.certificate_id, row));
}

/** A certificate row a record refers to, checked; VAULT_TAMPERED when it is missing or changed. */
export function checkedCertRow(vault: Vault, id: number, referrer: CaRow): CertRow {
  const cert = getCertRow(vault, id);
  if (!cert) throw tamperedRecord('cas', referrer as unknown as Row, `refers to certificate ${id}, which is missing`);
  return vault.records.check('certificates', cert);
}

/** The profile, checked (VAULT_TAMPERED when changed outside CertDesk): its rules decide what is signed. PROFILE_NOT_FOUND names the ids. */
export function getProfile(vault: Vault, id: string): Profile {
  const row = vault.records.read('profiles', { id });
  if (!row) throw new CertDeskError('PROFILE_NOT_FOUND', `no profile "${id}" (use one of ${PROFILE_IDS.join(', ')})`, { ref: id });
  return JSON.parse(vault.records.check('profiles', row).definition as string) as Profile;
}

/** Every profile as stored, unchecked: for lists and display. Decisions use getProfile or checkedProfiles. */
export function listProfiles(vault: Vault): Profile[] {
  const rows = vault.db.prepare('SELECT definition FROM profiles ORDER BY rowid').all() as { definition: string }[];
  return rows.map((r) => JSON.parse(r.definition) as Profile);
}

/**
 * Every profile, for a decision over all of them (which certificates are due for renewal): each row's MAC
 * holds and the rows are the set CertDesk last wrote (none added, deleted or put back from an older copy).
 * Throws VAULT_TAMPERED otherwise.
 */
export function checkedProfiles(vault: Vault): Profile[] {
  vault.records.checkTables(['profiles']);
  return listProfiles(vault);
}

function recipientOf(row: CertRow): Recipient | null {
  if (row.recipient_id === null || row.r_kind === null || row.r_name === null) return null;
  return { id: row.recipient_id, kind: row.r_kind, name: row.r_name, email: row.r_email, phone: row.r_phone, description: row.r_description, sid: row.r_sid, account: row.r_account };
}
