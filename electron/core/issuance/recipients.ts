// The people and devices certificates are issued to: the issue wizard's "pick a recipient" list, the recipient
// a certificate is linked to when it is issued, and the Windows identity (SID, account name) kept with it.
import type { Profile, Recipient, RecipientKind, San } from '../../../shared/domain.js';
import { searchMatch, syncSearchIndex } from '../search/search-index.js';
import { tamperedRecord } from '../vault/record-store.js';
import type { Vault } from '../vault/vault.js';
import { accountKindOf, recipientKindOfProfile } from '../windows/account-kind.js';
import { mappingAccount } from '../windows/ad-account.js';
import { checkSid } from '../windows/sid.js';

const RECIPIENT_COLUMNS = 'id, kind, name, email, phone, description, sid, account';

/** What an issue request says about its recipient; absent fields keep what the stored recipient has. */
export interface RecipientInput {
  kind?: RecipientKind;
  email?: string | null;
  phone?: string | null;
  description?: string | null;
  /** The holder's Windows SID; absent or null: the certificate's SID (IssueRequest.sid), if any. */
  sid?: string | null;
  /** The Active Directory account name (sAMAccountName); a computer account ends in `$`. */
  account?: string | null;
}

/** A recipient's SID and account name as checked for storing: canonical, or null when not given. */
export interface RecipientWindowsIds {
  sid: string | null;
  account: string | null;
}

/**
 * Recipients matching a search (name, e-mail, phone, description, account name), most recently added first, at most
 * `limit`. The search runs on the full-text index (core/search/search-index.ts: case and accents folded, a
 * substring from 3 characters, a word prefix below); an empty search lists the latest. A 1-2 character
 * search with no letter or digit falls back to LIKE over the columns.
 */
export function listRecipients(vault: Vault, search = '', limit = 50): Recipient[] {
  const columns = `SELECT ${RECIPIENT_COLUMNS} FROM recipients`;
  const text = search.trim();
  if (!text) return vault.db.prepare(`${columns} ORDER BY id DESC LIMIT ?`).all(limit) as Recipient[];
  syncSearchIndex(vault.db);
  const match = searchMatch('recipients', text, 'id');
  if (match) return vault.db.prepare(`${columns} WHERE ${match.sql} ORDER BY id DESC LIMIT ?`).all(...match.args, limit) as Recipient[];
  const like = `%${text.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
  return vault.db
    .prepare(
      `${columns}
       WHERE name LIKE @like ESCAPE '\\' OR coalesce(email, '') LIKE @like ESCAPE '\\' OR coalesce(phone, '') LIKE @like ESCAPE '\\' OR coalesce(description, '') LIKE @like ESCAPE '\\' OR coalesce(account, '') LIKE @like ESCAPE '\\'
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({ like, limit }) as Recipient[];
}

/**
 * Checks the SID and account name an issue request gives its recipient: the SID as windows/sid.ts checkSid
 * ([MS-DTYP] 2.4.2.1), the account as windows/ad-account.ts mappingAccount for the account `kind` the certificate
 * maps to (account-kind.ts accountKindOf: a device recipient or a machine profile is a computer): a computer account (`device`) gets its `$` when missing, so the
 * stored name is the one Set-ADComputer needs; a user account (`person`) may not end in `$`; then the
 * sAMAccountName rules (at most 20 characters for a user, 16 with the `$` for a computer, none of
 * `" / \ [ ] : ; | = , + * ? < > @`, control, format or line-separator characters). Empty or blank values count
 * as not given. Throws CertDeskError INVALID_INPUT whose message starts with the field (`recipient.sid`,
 * `account`) and names the rule broken.
 */
export function checkRecipientWindowsIds(input: Pick<RecipientInput, 'sid' | 'account'> | undefined, kind: RecipientKind): RecipientWindowsIds {
  const sid = input?.sid?.trim() ? checkSid(input.sid, 'recipient.sid') : null;
  const account = input?.account?.trim() ? mappingAccount(input.account, kind).account : null;
  return { sid, account };
}

/**
 * The recipient a new certificate is linked to: the stored one of the same kind, name and e-mail (checked as
 * an authenticated record: VAULT_TAMPERED when changed outside CertDesk), updated with the phone, description,
 * SID and account the request gives (absent ones stay), or a new one. `certificateSid` (canonical) is stored as
 * the recipient's SID when the request names no other. Call inside the issuing transaction. Returns its id.
 */
export function upsertRecipient(vault: Vault, holder: string, sans: San[], profile: Profile, input: RecipientInput | undefined, certificateSid: string | null = null): number {
  const kind: RecipientKind = input?.kind ?? recipientKindOfProfile(profile.id);
  const email = input?.email ?? sans.find((s) => s.type === 'email')?.value ?? null;
  // The account is checked against the account the certificate maps to (account-kind.ts: the recipient's kind or the profile's).
  const ids = checkRecipientWindowsIds(input, accountKindOf(profile.id, kind));
  const sid = ids.sid ?? certificateSid;
  const existing = vault.db
    .prepare("SELECT * FROM recipients WHERE kind = ? AND name = ? AND coalesce(email, '') = coalesce(?, '')")
    .get(kind, holder, email) as (Recipient & { created_at: string; mac: string | null }) | undefined;
  if (existing) {
    // The certificate is linked to this recipient: only an authentic record is (VAULT_TAMPERED otherwise).
    vault.records.check('recipients', existing);
    const changes = {
      phone: input?.phone || existing.phone,
      description: input?.description || existing.description,
      sid: sid ?? existing.sid,
      account: ids.account ?? existing.account,
    };
    if ((Object.keys(changes) as (keyof typeof changes)[]).some((k) => changes[k] !== existing[k])) vault.records.update('recipients', { id: existing.id }, changes);
    return existing.id;
  }
  const row = vault.records.insert('recipients', {
    kind,
    name: holder,
    email,
    phone: input?.phone || null,
    description: input?.description || null,
    sid,
    account: ids.account,
    created_at: vault.now().toISOString(),
  });
  return row.id as number;
}

/**
 * The account name stored with a certificate's recipient, read as an authenticated record: VAULT_TAMPERED when
 * the recipient was changed outside CertDesk or is missing; null when there is no recipient or no account.
 * The mapping script (windows/ad-mapping.ts) names this account when none is given.
 */
export function recipientAccountOf(vault: Vault, recipientId: number | null): string | null {
  if (recipientId === null) return null;
  const row = vault.db.prepare('SELECT * FROM recipients WHERE id = ?').get(recipientId) as Record<string, string | number | null> | undefined;
  if (!row) throw tamperedRecord('recipients', { id: recipientId }, 'is missing');
  vault.records.check('recipients', row);
  return (row.account as string | null) ?? null;
}
