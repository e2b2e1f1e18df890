// The people and devices certificates are issued to: the issue wizard's "pick a recipient" list.
import type { Recipient } from '../../../shared/domain.js';
import type { Vault } from '../vault/vault.js';

/** Recipients matching a search (name, e-mail, phone, description), most recently added first. */
export function listRecipients(vault: Vault, search = '', limit = 50): Recipient[] {
  const like = `%${search.trim().replace(/[\\%_]/g, (m) => '\\' + m)}%`;
  return vault.db
    .prepare(
      `SELECT id, kind, name, email, phone, description FROM recipients
       WHERE name LIKE @like ESCAPE '\\' OR coalesce(email, '') LIKE @like ESCAPE '\\' OR coalesce(phone, '') LIKE @like ESCAPE '\\' OR coalesce(description, '') LIKE @like ESCAPE '\\'
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({ like, limit }) as Recipient[];
}
