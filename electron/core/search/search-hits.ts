// A certificate search's match set, kept: the ids the full-text index gives for a search, written once into
// a TEMP table (id INTEGER PRIMARY KEY) of the connection and reused by every page, count and anchor query of
// that search until the certificates change. Without it each page ran the FTS5 query again and SQLite built
// the whole match set for it (100,000 matches: about 50 ms of index work, then 100,000 row lookups).
// TEMP tables belong to the connection and are never written to the vault file (https://sqlite.org/lang_createtable.html#temp).
import type Database from 'better-sqlite3';
import { prepared } from '../vault/statements.js';
import { searchRowids } from './search-index.js';

/** Match sets kept per connection: one TEMP table each, reused in turn (least recently used first). */
export const KEPT_SEARCHES = 4;

export interface SearchHits {
  /** The TEMP table holding the ids ("temp.certdesk_search_hits_N", one column: id INTEGER PRIMARY KEY). */
  table: string;
  /** How many ids it holds. */
  count: number;
  /** Whether this call ran the full-text query (false: the kept set was reused). */
  built: boolean;
  /**
   * Whether the full-text index held every certificate row of this read snapshot when the set was made (no row
   * queued in search_pending). Only such sets are kept for reuse: one made while another process's rows were still
   * queued could name a row that is gone or miss a new one, and syncSearchIndex does not change the generation.
   */
  complete: boolean;
}

/**
 * The ids of the certificates matching SEARCH (search-index.ts rules: folded, substrings from 3 characters,
 * word prefixes below), as a kept TEMP table. `generation` is the certificates' change counter
 * (certificate_changes): a set is reused only for the same folded query at the same generation, and every
 * write to a searched column bumps it. Which set each table holds is itself kept in a TEMP table
 * (certdesk_search_keys), written in the same transaction as the ids, so a transaction rolled back after
 * filling a table also forgets what it holds; a set made while rows were queued for the index is not kept
 * (SearchHits.complete). Returns null for a search the index cannot answer (a 1-2
 * character search with no letter or digit); the caller keeps its LIKE. Call syncSearchIndex first, inside
 * the read transaction the ids are used in. Throws what SQLite throws.
 */
export function certificateSearchHits(db: Database.Database, search: string, generation: number): SearchHits | null {
  const query = searchRowids('certificates', search);
  if (!query) return null;
  const key = JSON.stringify([generation, query.args]);
  db.exec('CREATE TEMP TABLE IF NOT EXISTS certdesk_search_keys (slot INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, count INTEGER NOT NULL, used INTEGER NOT NULL)');
  const lastUse = (prepared(db, 'SELECT coalesce(max(used), 0) FROM temp.certdesk_search_keys').pluck().get() as number) + 1;
  const found = prepared(db, 'SELECT slot, count FROM temp.certdesk_search_keys WHERE key = ?').get(key) as { slot: number; count: number } | undefined;
  if (found) {
    prepared(db, 'UPDATE temp.certdesk_search_keys SET used = ? WHERE slot = ?').run(lastUse, found.slot);
    return { table: hitsTable(found.slot), count: found.count, built: false, complete: true };
  }
  const kept = prepared(db, 'SELECT count(*) FROM temp.certdesk_search_keys').pluck().get() as number;
  const slot = kept < KEPT_SEARCHES ? kept : (prepared(db, 'SELECT slot FROM temp.certdesk_search_keys ORDER BY used LIMIT 1').pluck().get() as number);
  const table = hitsTable(slot);
  db.exec(`CREATE TEMP TABLE IF NOT EXISTS ${table.slice('temp.'.length)} (id INTEGER PRIMARY KEY)`);
  prepared(db, `DELETE FROM ${table}`).run();
  const count = prepared(db, `INSERT OR IGNORE INTO ${table} (id) ${query.sql}`).run(...query.args).changes;
  const complete = !prepared(db, "SELECT 1 FROM search_pending WHERE tbl = 'certificates' LIMIT 1").get();
  // An incomplete set serves this call only: the slot is taken from whatever set it held, and no key names it.
  if (complete) prepared(db, 'INSERT OR REPLACE INTO temp.certdesk_search_keys (slot, key, count, used) VALUES (?, ?, ?, ?)').run(slot, key, count, lastUse);
  else prepared(db, 'DELETE FROM temp.certdesk_search_keys WHERE slot = ?').run(slot);
  return { table, count, built: true, complete };
}

function hitsTable(slot: number): string {
  return `temp.certdesk_search_hits_${slot}`;
}
