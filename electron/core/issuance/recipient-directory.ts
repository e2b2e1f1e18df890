// The recipients directory: one recipient with its certificates and the SID its newest certificate carries, and
// editing a recipient (e-mail, phone, description, SID, account), written as an authenticated record and audited.
import type { CertificateRecord, Recipient, RecipientKind } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { tamperedRecord } from '../vault/record-store.js';
import type { Vault } from '../vault/vault.js';
import { accountKindOf } from '../windows/account-kind.js';
import { mappingAccount } from '../windows/ad-account.js';
import { checkSid } from '../windows/sid.js';
import { readSidExtension } from '../windows/sid-extension.js';
import { getCheckedCertRow, toCertificateRecord, type CertRow } from './records.js';

/** A recipient as the directory shows it (`recipient show`, the Recipients screen). */
export interface RecipientView {
  recipient: Recipient;
  /** The account kind its account name is checked as (account-kind.ts accountKindOf over its certificates). */
  accountKind: RecipientKind;
  /** When no SID is stored: the SID extension of its newest certificate, if that carries one (vaults upgraded to schema 7). */
  sidFromCertificate: { sid: string; certificateId: number } | null;
  /** Its certificates that are not deleted, newest first. */
  certificates: CertificateRecord[];
}

/** What `recipient.update` changes: absent keeps a field, null or blank text clears it. */
export interface RecipientChanges {
  email?: string | null;
  phone?: string | null;
  description?: string | null;
  sid?: string | null;
  account?: string | null;
  /** Store the SID of the recipient's newest certificate (its SID extension); not with `sid`. */
  sidFromCertificate?: boolean;
}

const LIMITS = { email: 320, phone: 64, description: 500 } as const;

/** The stored recipient `id`, checked as an authenticated record. Throws INVALID_INPUT (no such recipient), VAULT_TAMPERED. */
function checkedRecipient(vault: Vault, id: number): Recipient {
  const row = vault.db.prepare('SELECT * FROM recipients WHERE id = ?').get(id) as Record<string, string | number | null> | undefined;
  if (!row) throw new CertDeskError('INVALID_INPUT', `recipient: no recipient ${id}`, { field: 'id', id });
  vault.records.check('recipients', row);
  const { kind, name, email, phone, description, sid, account } = row as unknown as Recipient;
  return { id, kind, name, email, phone, description, sid, account };
}

/** The recipient's certificates that are not deleted, each checked (VAULT_TAMPERED), newest (issued last) first. */
function certificateRows(vault: Vault, recipientId: number): CertRow[] {
  const ids = vault.db.prepare('SELECT id FROM certificates WHERE recipient_id = ? AND deleted_at IS NULL ORDER BY issued_at DESC, id DESC').all(recipientId) as { id: number }[];
  return ids.map((r) => getCheckedCertRow(vault, r.id));
}

/** 'device' when the recipient is a device or any of its certificates was issued under a machine profile (accountKindOf), else 'person'. */
function accountKindOfRows(recipient: Recipient, rows: CertRow[]): RecipientKind {
  if (rows.some((r) => accountKindOf(r.profile_id, recipient.kind) === 'device')) return 'device';
  return accountKindOf(null, recipient.kind);
}

/** The SID extension ([MS-WCCE] 2.2.2.7.7.4) of the newest certificate in `rows`, or null when it carries none. */
function newestCertificateSid(rows: CertRow[]): { sid: string; certificateId: number } | null {
  const newest = rows[0];
  if (!newest) return null;
  const sid = readSidExtension(new Uint8Array(newest.der));
  return sid === null ? null : { sid, certificateId: newest.id };
}

/**
 * Recipient `id` for the directory: the stored record, the account kind its account is checked as, its
 * certificates (not deleted, newest first) and, when it has no SID stored, the SID its newest certificate carries
 * (`sidFromCertificate`, e.g. a recipient of a vault upgraded to schema 7, whose SIDs were not copied).
 * Throws INVALID_INPUT "recipient: no recipient N", VAULT_TAMPERED (the recipient or a certificate changed
 * outside CertDesk), INVALID_INPUT for a malformed SID extension (sid-extension.ts).
 */
export function getRecipientView(vault: Vault, id: number): RecipientView {
  vault.requireUnlocked();
  const recipient = checkedRecipient(vault, id);
  const rows = certificateRows(vault, id);
  return {
    recipient,
    accountKind: accountKindOfRows(recipient, rows),
    sidFromCertificate: recipient.sid === null ? newestCertificateSid(rows) : null,
    certificates: rows.map((r) => toCertificateRecord(vault, r)),
  };
}

/** Text for a plain field: trimmed, null when blank; INVALID_INPUT naming the field when too long or holding a control character. */
function plainText(field: keyof typeof LIMITS, value: string | null): string | null {
  const text = value?.trim() ?? '';
  if (text === '') return null;
  if (text.length > LIMITS[field]) throw new CertDeskError('INVALID_INPUT', `${field}: ${text.length} characters long; at most ${LIMITS[field]}`, { field });
  // eslint-disable-next-line no-control-regex
  if ((field !== 'description' && /[\u0000-\u001f\u007f]/.test(text)) || /[\u0000-\u0008\u000b-\u001f\u007f]/.test(text)) {
    throw new CertDeskError('INVALID_INPUT', `${field}: contains a control character`, { field });
  }
  if (field === 'email' && !/^[^\s@]+@[^\s@]+$/.test(text)) throw new CertDeskError('INVALID_INPUT', `email: "${text}" is not an e-mail address (local-part@domain)`, { field });
  return text;
}

/**
 * Changes recipient `id`: e-mail, phone, description as plain text; the SID checked as at issue (windows/sid.ts
 * checkSid, [MS-DTYP] 2.4.2.1; canonical form stored) or taken from the newest certificate's SID extension
 * (`sidFromCertificate`); the account checked as at issue for the recipient's account kind (ad-account.ts
 * mappingAccount: a computer account gets its `$`, a user account may not end in `$`, sAMAccountName rules).
 * Absent fields stay; null or blank clears. The record is rewritten through vault.records (MACed) and audited as
 * `recipient.update` (target `recipient:ID`, each changed field with its old and new value) in one transaction;
 * nothing changed writes nothing. Returns the recipient as getRecipientView shows it.
 * Throws INVALID_INPUT whose message starts with the field (`sid`, `account`, `email`, `phone`, `description`,
 * `sid-from-certificate`, `recipient`), VAULT_TAMPERED when the recipient or one of its certificates was changed
 * outside CertDesk.
 */
export function updateRecipient(vault: Vault, id: number, changes: RecipientChanges): RecipientView {
  const view = getRecipientView(vault, id);
  const current = view.recipient;
  if (changes.sidFromCertificate && changes.sid !== undefined) {
    throw new CertDeskError('INVALID_INPUT', 'sid-from-certificate: give a SID or take the certificate\'s, not both', { field: 'sid' });
  }
  const next: Partial<Record<'email' | 'phone' | 'description' | 'sid' | 'account', string | null>> = {};
  if (changes.email !== undefined) next.email = plainText('email', changes.email);
  if (changes.phone !== undefined) next.phone = plainText('phone', changes.phone);
  if (changes.description !== undefined) next.description = plainText('description', changes.description);
  if (changes.sid !== undefined) next.sid = changes.sid?.trim() ? checkSid(changes.sid, 'sid') : null;
  if (changes.sidFromCertificate) {
    const found = newestCertificateSid(certificateRows(vault, id));
    if (!found) throw new CertDeskError('INVALID_INPUT', `sid-from-certificate: the newest certificate of recipient ${id} (${current.name}) carries no SID extension`, { field: 'sid' });
    next.sid = found.sid;
  }
  if (changes.account !== undefined) next.account = changes.account?.trim() ? mappingAccount(changes.account, view.accountKind).account : null;
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== current[k]);
  if (changed.length === 0) return view;
  if (changed.includes('email')) {
    // Issuing finds a recipient by kind, name and e-mail: two records with all three equal would be ambiguous.
    const twin = vault.db.prepare("SELECT id FROM recipients WHERE kind = ? AND name = ? AND coalesce(email, '') = coalesce(?, '') AND id != ?").get(current.kind, current.name, next.email ?? null, id) as { id: number } | undefined;
    if (twin) throw new CertDeskError('INVALID_INPUT', `email: recipient ${twin.id} is already ${current.kind} "${current.name}" with this e-mail address`, { field: 'email' });
  }
  vault.transaction(() => {
    vault.records.update('recipients', { id }, Object.fromEntries(changed.map((k) => [k, next[k] ?? null])));
    vault.audit('recipient.update', `recipient:${id}`, { name: current.name, changes: Object.fromEntries(changed.map((k) => [k, { from: current[k], to: next[k] ?? null }])) });
  });
  return getRecipientView(vault, id);
}

/** The checked recipient's kind and account (null when the certificate has no recipient); VAULT_TAMPERED when it is missing or changed. */
export function recipientMappingOf(vault: Vault, recipientId: number | null): { recipientKind: RecipientKind; account: string | null } | null {
  if (recipientId === null) return null;
  const row = vault.db.prepare('SELECT * FROM recipients WHERE id = ?').get(recipientId) as Record<string, string | number | null> | undefined;
  if (!row) throw tamperedRecord('recipients', { id: recipientId }, 'is missing');
  vault.records.check('recipients', row);
  return { recipientKind: row.kind as RecipientKind, account: (row.account as string | null) ?? null };
}
