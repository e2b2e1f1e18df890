// The full-text index behind certificate and recipient search (SQLite FTS5, https://sqlite.org/fts5.html).
//
// Two contentless FTS5 tables per searched table: a trigram one for substrings of 3 or more characters and a
// unicode61 one with 1- and 2-character prefix indexes for shorter searches. They hold folded text
// (fold.ts), which SQL cannot compute, so triggers (schema.ts, version 8) only queue the changed row ids in
// search_pending, whatever writes them (the record layer, an upgrade, a delete); syncSearchIndex folds and
// indexes the queued rows before every search. The indexed columns are public certificate and recipient
// fields (names, e-mail addresses, aliases, serials, thumbprints): no key material, no MAC, nothing a
// record's authentication covers is ever read back from these tables.
import type Database from 'better-sqlite3';
import type { San } from '../../../shared/domain.js';
import { prepared } from '../vault/statements.js';
import { FOLD_VERSION, foldText } from './fold.js';

/** Shortest search the trigram index answers; shorter ones are prefixes of words. */
export const TRIGRAM_MIN = 3;

interface IndexedTable {
  /** The FTS5 tables: [trigram, words]. */
  fts: [string, string];
  columns: string[];
  /** One row's folded column values by id, or undefined when the row is gone. */
  read(db: Database.Database, id: number): string[] | undefined;
}

const CERTIFICATE_COLUMNS = ['holder', 'subject', 'alias', 'sans', 'serial', 'sha1', 'sha256'];
const RECIPIENT_COLUMNS = ['name', 'email', 'phone', 'description', 'account'];

const TABLES: Record<'certificates' | 'recipients', IndexedTable> = {
  certificates: {
    fts: ['certificate_search_text', 'certificate_search_words'],
    columns: CERTIFICATE_COLUMNS,
    read(db, id) {
      const row = prepared(db, `SELECT ${CERTIFICATE_COLUMNS.join(', ')} FROM certificates WHERE id = ?`).get(id) as Record<string, string | null> | undefined;
      return row && certificateSearchValues(row);
    },
  },
  recipients: {
    fts: ['recipient_search_text', 'recipient_search_words'],
    columns: RECIPIENT_COLUMNS,
    read(db, id) {
      const row = prepared(db, `SELECT ${RECIPIENT_COLUMNS.join(', ')} FROM recipients WHERE id = ?`).get(id) as Record<string, string | null> | undefined;
      return row && RECIPIENT_COLUMNS.map((c) => foldText(row[c]));
    },
  },
};

/** An attribute type at the start of an RDN of an RFC 4514 string (RFC 4514 section 3): a name or a dotted OID, then "=". */
const DN_TYPE = /(^|(?<!\\)[,+])\s*(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)+)\s*=/g;

/**
 * A subject's attribute values (its RFC 4514 string as stored), separated by spaces, escapes removed:
 * "CN=Alice,O=Example" gives "Alice Example". Indexing the string itself made its attribute types words of
 * every certificate, so a search for "o", "c" or "cn" matched them all. Kept free of the X.509 parser: the
 * CLI's cold start imports this file.
 */
export function subjectValues(dn: string | null): string {
  if (!dn) return '';
  return dn
    .replace(DN_TYPE, ' ')
    .replace(/\\(.)/g, '$1')
    .trim();
}

/** A certificate's SAN values (e-mail addresses, DNS names, UPNs...) separated by spaces; its JSON would index "type" and "value". */
function sanValues(json: string | null): string {
  if (!json) return '';
  try {
    return (JSON.parse(json) as San[]).map((s) => s.value).join(' ');
  } catch {
    return json;
  }
}

/** A certificate row's indexed columns (CERTIFICATE_COLUMNS), folded: what both its index entries and the LIKE fallback see. */
function certificateSearchValues(row: Record<string, string | null | undefined>): string[] {
  return CERTIFICATE_COLUMNS.map((c) => foldText(c === 'sans' ? sanValues(row.sans ?? null) : c === 'subject' ? subjectValues(row.subject ?? null) : row[c]));
}

const withTextFunction = new WeakSet<Database.Database>();

/**
 * The condition "certificate matches SEARCH" for what the index cannot answer (searchMatch returned null: a 1-2
 * character search with no letter or digit, say "@" or "%"): a LIKE over the same folded values the index holds,
 * so a search for '"', ':', '=' or '[' no longer matches every row through the SAN list's JSON or the subject's
 * RFC 4514 syntax. `%`, `_` and `\` in SEARCH are literal. Scans the table (rare, short searches only). The SQL
 * function it uses is registered on `db` once. Columns are read from the table alias `c`.
 */
export function certificateTextMatch(db: Database.Database, search: string): SearchMatch {
  if (!withTextFunction.has(db)) {
    db.function('certdesk_certificate_text', { deterministic: true, varargs: true }, (...values: unknown[]) =>
      certificateSearchValues(Object.fromEntries(CERTIFICATE_COLUMNS.map((c, i) => [c, (values[i] as string | null) ?? null]))).join('\n'),
    );
    withTextFunction.add(db);
  }
  const like = `%${foldText(search.trim()).replace(/[\\%_]/g, (m) => '\\' + m)}%`;
  return { sql: `certdesk_certificate_text(${CERTIFICATE_COLUMNS.map((c) => `c.${c}`).join(', ')}) LIKE ? ESCAPE '\\'`, args: [like] };
}

/**
 * Indexes every queued row (search_pending) of certificates and recipients, in one transaction, and empties
 * the queue. Cheap when nothing is queued (one indexed read). Called before each search; also fills a vault's
 * index in migration 8 (after queueing every row). Throws what SQLite throws (a read-only vault cannot index).
 */
export function syncSearchIndex(db: Database.Database): number {
  if (!foldChecked.has(db)) queueAllIfFoldChanged(db);
  if (!prepared(db, 'SELECT 1 FROM search_pending LIMIT 1').get()) return 0;
  return db.transaction(() => {
    const pending = prepared(db, 'SELECT tbl, id FROM search_pending').all() as { tbl: keyof typeof TABLES; id: number }[];
    for (const { tbl, id } of pending) {
      const t = TABLES[tbl];
      const values = t.read(db, id);
      for (const fts of t.fts) {
        prepared(db, `DELETE FROM ${fts} WHERE rowid = ?`).run(id);
        if (values) prepared(db, `INSERT INTO ${fts} (rowid, ${t.columns.join(', ')}) VALUES (?, ${t.columns.map(() => '?').join(', ')})`).run(id, ...values);
      }
    }
    prepared(db, 'DELETE FROM search_pending').run();
    return pending.length;
  })();
}

/** Queues every row of both tables, then indexes them: migration 8's fill of an existing vault. */
export function rebuildSearchIndex(db: Database.Database): number {
  queueAll(db);
  return syncSearchIndex(db);
}

const FOLD_KEY = 'search_fold';
/** The connections whose index is known to hold FOLD_VERSION's folding (checked once per connection). */
const foldChecked = new WeakSet<Database.Database>();

function queueAll(db: Database.Database): void {
  db.exec(`INSERT OR IGNORE INTO search_pending (tbl, id) SELECT 'certificates', id FROM certificates;
           INSERT OR IGNORE INTO search_pending (tbl, id) SELECT 'recipients', id FROM recipients;`);
  prepared(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(FOLD_KEY, FOLD_VERSION);
  foldChecked.add(db);
}

/**
 * An index filled with another folding (fold.ts FOLD_VERSION; a vault indexed before version 2 has no marker)
 * answers some searches wrongly: queue every row once, so the sync that follows re-indexes them all.
 */
function queueAllIfFoldChanged(db: Database.Database): void {
  // No .pluck(): prepared() shares one statement per SQL text, and record-sets.ts reads this one as rows.
  const stored = prepared(db, 'SELECT value FROM meta WHERE key = ?').get(FOLD_KEY) as { value: string } | undefined;
  if (stored?.value === FOLD_VERSION) foldChecked.add(db);
  else db.transaction(() => queueAll(db))();
}

/** An FTS5 string literal: the text in double quotes, inner quotes doubled (https://sqlite.org/fts5.html#fts5_strings). */
const quoted = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** A serial or thumbprint as people copy it, "AB:CD:01" or "ab cd 01": searched also without the separators. */
const SEPARATED_HEX = /^[0-9a-f]{2}([:\s-][0-9a-f]{2})+$/;

export interface SearchMatch {
  /** A condition on `idColumn` (an SQL expression) for rows matching the search. */
  sql: string;
  args: string[];
}

/**
 * The condition "row matches SEARCH" for certificates or recipients: the folded search (fold.ts) as a
 * substring of one indexed column when it has 3 or more characters (trigram index), otherwise as the prefix
 * of a word (unicode61 index, prefix=1,2). A short search with no letter or digit (say "%") has no word to
 * look up: it returns null and the caller keeps its LIKE over the columns for that rare case. Call
 * syncSearchIndex first. Case and accents never matter ("öztürk" finds "Öztürk", "ΣΟΦΙΑ" finds "σοφία").
 */
export function searchMatch(table: 'certificates' | 'recipients', search: string, idColumn: string): SearchMatch | null {
  const rowids = searchRowids(table, search);
  return rowids && { sql: `${idColumn} IN (${rowids.sql})`, args: rowids.args };
}

/**
 * The query behind searchMatch: `SELECT rowid FROM <fts> WHERE <fts> MATCH ?` with its argument, giving the
 * ids of the rows matching SEARCH (same rules as searchMatch; null for a short search with no letter or
 * digit). Used where the match set is kept (search-hits.ts). Call syncSearchIndex first.
 */
export function searchRowids(table: 'certificates' | 'recipients', search: string): SearchMatch | null {
  const folded = foldText(search.trim());
  if (!folded) return null;
  const [text, words] = TABLES[table].fts;
  if ([...folded].length >= TRIGRAM_MIN) {
    const phrases = [quoted(folded)];
    if (SEPARATED_HEX.test(folded)) phrases.push(quoted(folded.replace(/[:\s-]/g, '')));
    return { sql: `SELECT rowid FROM ${text} WHERE ${text} MATCH ?`, args: [phrases.join(' OR ')] };
  }
  if (!/[\p{L}\p{N}]/u.test(folded)) return null;
  return { sql: `SELECT rowid FROM ${words} WHERE ${words} MATCH ?`, args: [`${quoted(folded)}*`] };
}
