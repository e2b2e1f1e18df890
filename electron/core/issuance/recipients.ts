// The people and devices certificates are issued to: the issue wizard's "pick a recipient" list.
import type { Recipient } from '../../../shared/domain.js';
import { searchMatch, syncSearchIndex } from '../search/search-index.js';
import type { Vault } from '../vault/vault.js';

/**
 * Recipients matching a search (name, e-mail, phone, description), most recently added first, at most
 * `limit`. The search runs on the full-text index (core/search/search-index.ts: case and accents folded, a
 * substring from 3 characters, a word prefix below); an empty search lists the latest. A 1-2 character
 * search with no letter or digit falls back to LIKE over the columns.
 */
export function listRecipients(vault: Vault, search = '', limit = 50): Recipient[] {
  const columns = 'SELECT id, kind, name, email, phone, description FROM recipients';
  const text = search.trim();
  if (!text) return vault.db.prepare(`${columns} ORDER BY id DESC LIMIT ?`).all(limit) as Recipient[];
  syncSearchIndex(vault.db);
  const match = searchMatch('recipients', text, 'id');
  if (match) return vault.db.prepare(`${columns} WHERE ${match.sql} ORDER BY id DESC LIMIT ?`).all(...match.args, limit) as Recipient[];
  const like = `%${text.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
  return vault.db
    .prepare(
      `${columns}
       WHERE name LIKE @like ESCAPE '\\' OR coalesce(email, '') LIKE @like ESCAPE '\\' OR coalesce(phone, '') LIKE @like ESCAPE '\\' OR coalesce(description, '') LIKE @like ESCAPE '\\'
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({ like, limit }) as Recipient[];
}
