// The certificate table's pages, fetched by key: never by an OFFSET that grows with the position.
//
// Per (filter, sort, direction) an anchor list holds the sort key of every ANCHOR_EVERY-th matching row,
// found as pages ask for them (each a seek to the last known anchor and a step of ANCHOR_EVERY rows on the
// sort's index, which reads about ANCHOR_EVERY entries however many rows share a key: seeksOf; the view's count
// is taken when it is first asked for), and kept until the certificates change (certificate_changes, bumped by
// triggers on every write: schema.ts version 8) or, for a filter on end dates, until a certificate's end date
// passes one of its instants. Row position p is then
// a seek to anchor floor(p / ANCHOR_EVERY) on the sort's index and a step of at most ANCHOR_EVERY - 1 rows.
//
// A search view reads its match set from a TEMP table filled once per search and generation
// (search/search-hits.ts), not from the full-text index on every query. A broad search (BROAD_SEARCH matches
// or more) is walked in the sort's index order, each row probed in that set, so nothing sorts the matches;
// a narrow one is read from the set and sorted (a few thousand rows at most).
import type Database from 'better-sqlite3';
import { CERT_SORTS, type CertificateRecord } from '../../../shared/domain.js';
import { CERT_SELECT, certificateWhere, toCertificateRecord, type CertificateFilter, type CertRow } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { prepared } from '../vault/statements.js';
import { certificateSearchHits, type SearchHits } from '../search/search-hits.js';
import { UNLISTED } from '../vault/schema.js';
import { syncSearchIndex } from '../search/search-index.js';

export { CERT_SORTS };
export type CertSort = (typeof CERT_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** Rows between anchors: the longest step a page takes from its anchor. */
export const ANCHOR_EVERY = 512;
/** Views whose anchors are kept per connection (filters and sorts recently used). */
const KEPT_VIEWS = 32;
/**
 * Matches from which a search view walks the sort's index (probing each listed row in the match set) rather
 * than sorting its matches: at 100,000 listed certificates a walk probes all of them (about 10 ms), while
 * reading and sorting 4,096 matches costs about as much and grows with them.
 */
export const BROAD_SEARCH = 4096;

/**
 * Each sort's key, ahead of the id that breaks ties. Each has a partial index over the listed (live
 * end-entity) certificates ordered by the key then the rowid (schema.ts version 8): holder
 * (certificates_list_holder, NOCASE), expiry (certificates_list_expiry), issued (certificates_list_issued),
 * status (certificates_list_status: by the stored status, then end date; ascending gives 'revoked' first,
 * then 'valid', whose oldest end dates are the expired ones, so expired rows lead the valid ones), CA
 * (certificates_list_ca: by issuer name, then end date).
 */
export const SORT_KEYS: Record<CertSort, string[]> = {
  holder: ['c.holder COLLATE NOCASE'],
  expiry: ['c.not_after'],
  issued: ['c.issued_at'],
  status: ['c.status', 'c.not_after'],
  ca: ['c.issuer_dn', 'c.not_after'],
};

/** The index a sort's pages seek on. */
export const SORT_INDEXES: Record<CertSort, string> = {
  holder: 'certificates_list_holder',
  expiry: 'certificates_list_expiry',
  issued: 'certificates_list_issued',
  status: 'certificates_list_status',
  ca: 'certificates_list_ca',
};

/**
 * "certificates c", named with the sort's index when the filter lists live end-entity certificates (what the
 * table shows, and what the partial index holds): the plan does not depend on the planner's guess between
 * it and an older index on the same key. Other filters, and searches (a narrow one is best driven from the
 * full-text index), leave the choice to SQLite.
 */
function certificatesFor(where: string, sort: CertSort, byIndex = !where.includes(' MATCH ')): string {
  return where.startsWith(LISTED) && byIndex ? `certificates c INDEXED BY ${SORT_INDEXES[sort]}` : 'certificates c';
}
const LISTED = "c.deleted_at IS NULL AND c.kind = 'end-entity'";

/** The ORDER BY of a sort: its key then the id, all in one direction. */
export function orderBy(sort: CertSort, direction: SortDirection): string {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  return [...SORT_KEYS[sort], 'c.id'].map((k) => `${k} ${dir}`).join(', ');
}

type Key = (string | number)[];

/** One seek of seeksOf: its condition on the sort's index and its parameters from a key. */
export interface Seek {
  sql: string;
  args: (key: Key) => Key;
}

/**
 * The seeks that together give the rows at or after KEY (the sort's columns, then the id) in the sort's order
 * (`direction`), each an index seek on the whole of its condition: first the rows equal to KEY on every sort
 * column with an id at or past KEY's ("status = ? AND not_after = ? AND id >= ?"), then for each sort column from
 * the last to the first, the rows equal to KEY on the columns before it and past KEY on it ("status = ? AND
 * not_after > ?", then "status > ?"). Each seek's rows come after the previous seek's in the sort's order, so reading
 * them one after the other reads the view in order. Why not one condition: SQLite seeks on a row value
 * "(not_after, id) >= (?, ?)" by its first column only (on status and CA by the two sort columns, never the id) and
 * reads every row with the anchor's key before reaching the anchor, so a run of many equal keys (every certificate
 * cut to its CA's end date shares one not_after) made each step read the whole run: 0.5 s for a jump over 100,000
 * equal keys. Exported for the query-plan tests.
 */
export function seeksOf(sort: CertSort, direction: SortDirection): Seek[] {
  const [past, atOrPast] = direction === 'asc' ? ['>', '>='] : ['<', '<='];
  const columns = SORT_KEYS[sort];
  const equal = (n: number) => columns.slice(0, n).map((c) => `${c} = ? AND `).join('');
  const seeks: Seek[] = [{ sql: `${equal(columns.length)}c.id ${atOrPast} ?`, args: (k) => k }];
  for (let i = columns.length - 1; i >= 0; i--) seeks.push({ sql: `${equal(i)}${columns[i]} ${past} ?`, args: (k) => k.slice(0, i + 1) });
  return seeks;
}

/**
 * Rows `offset` to `offset + limit - 1` of the view from KEY on (seeksOf), each seek read with LIMIT and OFFSET in
 * turn; a seek with no row at the offset left is counted (at most that many rows) to know how far the offset
 * reaches into the next. `query(seek)` gives the statement for one seek without its LIMIT: the view's filter and
 * the seek's condition, in the sort's order; `args` are the filter's parameters. Returns raw rows when `raw`.
 */
function readFrom(db: Database.Database, sort: CertSort, direction: SortDirection, query: (seek: string) => string, args: (string | number)[], key: Key, offset: number, limit: number, raw: boolean): unknown[] {
  const rows: unknown[] = [];
  for (const seek of seeksOf(sort, direction)) {
    if (rows.length >= limit) break;
    const statement = prepared(db, `${query(seek.sql)} LIMIT ? OFFSET ?`);
    const got = (raw ? statement.raw() : statement).all(...args, ...seek.args(key), limit - rows.length, offset);
    rows.push(...got);
    if (got.length > 0 || offset === 0) {
      offset = 0;
      continue;
    }
    offset -= prepared(db, `SELECT count(*) FROM (${query(seek.sql)} LIMIT ?)`).pluck().get(...args, ...seek.args(key), offset) as number;
  }
  return rows;
}

interface View {
  generation: number;
  instants: string[];
  total: number;
  /** The key (sort columns, then id) of rows 0, ANCHOR_EVERY, 2 * ANCHOR_EVERY, ... */
  anchors: Key[];
}

const views = new WeakMap<Database.Database, Map<string, View>>();

/** The certificates' generation: it changes with every insert, delete, and update of a listed column. */
function generation(db: Database.Database): number {
  return (prepared(db, 'SELECT n FROM certificate_changes WHERE id = 1').get() as { n: number } | undefined)?.n ?? 0;
}

/** Whether a certificate's end date lies between an instant the view was built at and the one asked for now. */
function instantsPassed(db: Database.Database, built: string[], now: string[]): boolean {
  const crossed = prepared(db, 'SELECT 1 FROM certificates WHERE not_after > ? AND not_after <= ? LIMIT 1');
  return built.some((b, i) => {
    const [lo, hi] = b <= now[i]! ? [b, now[i]!] : [now[i]!, b];
    return lo !== hi && crossed.get(lo, hi) !== undefined;
  });
}

export interface PageRequest {
  sort: CertSort;
  direction: SortDirection;
  /** Row position of the first row (0-based) in the filtered, sorted list. */
  position: number;
  /** Rows wanted, 1 or more. */
  limit: number;
}

export interface CertificatePageResult {
  total: number;
  position: number;
  rows: CertificateRecord[];
  /**
   * What the page cost: whether the view was built for it (its count, its anchors started afresh), how many
   * anchors it added (each a seek and a step of ANCHOR_EVERY rows), the rows stepped over from the anchor,
   * and for a search the index answers, whether its match set was built for it (else kept) and its size, and
   * whether the view's count was taken from that set (listedMatches) rather than by counting its rows.
   */
  work: { anchorsBuilt: boolean; anchorsAdded: number; stepped: number; searchBuilt: boolean; matches: number | null; countedFromMatches: boolean };
}

/**
 * One page of certificates matching `filter` (limit and offset ignored) in the order of `sort` (ties by id,
 * same direction), starting at row `position`. A position at or past the end gives no rows. Rows come from
 * an index seek to the nearest anchor at or before the position, plus a step under ANCHOR_EVERY rows.
 * Throws what SQLite throws.
 */
export function certificatePage(vault: Vault, filter: CertificateFilter, req: PageRequest): CertificatePageResult {
  const { limit: _limit, offset: _offset, ...rest } = filter;
  const viewId = JSON.stringify([rest, req.sort, req.direction]);
  // The index is brought up to date before the read transaction (indexing writes).
  if (rest.search?.trim()) syncSearchIndex(vault.db);
  // One read snapshot for the match set, the anchors, the count and the page: another process may write in between.
  return vault.db.transaction(() => {
    const { where, args, instants, byIndex, search, count } = viewWhere(vault, rest);
    // A view over a match set that is not kept (SearchHits.complete false) is not kept either.
    const { view, built, countedFromMatches } = viewOf(vault.db, viewId, where, args, instants, req, byIndex, count, search?.complete ?? true);
    const work = { anchorsBuilt: built, anchorsAdded: 0, stepped: 0, searchBuilt: search?.built ?? false, matches: search?.count ?? null, countedFromMatches };
    if (req.position >= view.total) return { total: view.total, position: req.position, rows: [], work };
    const { anchor, added } = anchorFor(vault.db, view, where, args, req, byIndex);
    work.anchorsAdded = added;
    if (!anchor) return { total: view.total, position: req.position, rows: [], work };
    work.stepped = req.position % ANCHOR_EVERY;
    const rows = readFrom(vault.db, req.sort, req.direction, (seek) => pageSql(where, req, byIndex, seek), args, anchor, work.stepped, req.limit, false) as CertRow[];
    return { total: view.total, position: req.position, rows: rows.map((r) => toCertificateRecord(vault, r)), work };
  })();
}

/**
 * The view's condition. A search the full-text index answers becomes "c.id IN (its kept match set)"
 * (search-hits.ts) and, with BROAD_SEARCH matches or more, is read in the sort's index order (byIndex);
 * other filters are certificateWhere's. Run inside the page's read transaction.
 */
function viewWhere(vault: Vault, filter: CertificateFilter): ViewWhere {
  const hits = filter.search?.trim() ? certificateSearchHits(vault.db, filter.search, generation(vault.db)) : null;
  if (!hits) return { ...certificateWhere(vault, filter), byIndex: undefined, search: null };
  const base = certificateWhere(vault, { ...filter, search: undefined });
  const count = base.where === LISTED && base.args.length === 0 ? () => listedMatches(vault.db, hits) : undefined;
  const byIndex = hits.count >= BROAD_SEARCH;
  return { where: `${base.where} AND ${matchSetTerm(hits.table, byIndex)}`, args: base.args, instants: base.instants, byIndex, search: hits, count };
}

/**
 * The condition "in the search's match set" (a TEMP table, search-hits.ts). Walking the sort's index (byIndex), it
 * is a probe per row ("+c.id": not an index term); as an index term, a seek with the id ("holder = ? AND id >= ?")
 * became one seek per id in the set, 100,000 seeks a step. Exported for the query-plan test.
 */
export function matchSetTerm(table: string, byIndex: boolean): string {
  return `${byIndex ? '+' : ''}c.id IN (SELECT id FROM ${table})`;
}

interface ViewWhere {
  where: string;
  args: (string | number)[];
  instants: string[];
  byIndex: boolean | undefined;
  search: SearchHits | null;
  /** The view's row count when it has a cheaper way than counting the rows WHERE matches; undefined: count them. */
  count?: () => number | undefined;
}

/**
 * How many listed certificates (live end-entity ones: the table's list) a search matches: the match set's size
 * less its certificates outside the list, found on certificates_unlisted (schema.ts version 11; usually a
 * handful of rows), so nothing probes the set once per listed row. Undefined for a set made while the full-text
 * index was behind its snapshot (SearchHits.complete false: another process wrote after syncSearchIndex), which
 * could name a row that is gone; the caller counts the rows then.
 * Exported for the tests.
 */
export function listedMatches(db: Database.Database, hits: SearchHits): number | undefined {
  if (!hits.complete) return undefined;
  const outside = prepared(db, unlistedMatchesSql(hits.table)).pluck().get() as number;
  return hits.count - outside;
}

/**
 * The count of a match set's certificates outside the list. The index's own condition, word for word, so SQLite
 * uses it; CROSS JOIN keeps the index as the outer loop. Exported for the query-plan test.
 */
export function unlistedMatchesSql(table: string): string {
  return `SELECT count(*) FROM certificates c INDEXED BY certificates_unlisted CROSS JOIN ${table} h ON h.id = c.id WHERE ${UNLISTED}`;
}

/**
 * The page query for one seek (seeksOf; its parameters follow the filter's), without its LIMIT (readFrom adds
 * it): the filter, the seek's condition on the sort's index, the sort's order. Exported for the query-plan test.
 */
export function pageSql(where: string, req: Pick<PageRequest, 'sort' | 'direction'>, byIndex: boolean | undefined, seek: string): string {
  return `${CERT_SELECT.replace('FROM certificates c', `FROM ${certificatesFor(where, req.sort, byIndex)}`)} WHERE ${where} AND ${seek}
    ORDER BY ${orderBy(req.sort, req.direction)}`;
}

/**
 * The anchor query for one seek, or over the whole view (`seek` null: its first row is the first anchor), without
 * its LIMIT: the key (sort columns, then id; the holder as stored, its comparison NOCASE) of its rows, in the
 * sort's order. Exported for the query-plan test.
 */
export function anchorStepSql(where: string, req: Pick<PageRequest, 'sort' | 'direction'>, byIndex: boolean | undefined, seek: string | null): string {
  const key = [...SORT_KEYS[req.sort], 'c.id'];
  return `SELECT ${key.map((k) => k.replace(/ COLLATE NOCASE$/, '')).join(', ')} FROM ${certificatesFor(where, req.sort, byIndex)} WHERE ${where}${seek ? ` AND ${seek}` : ''}
    ORDER BY ${orderBy(req.sort, req.direction)}`;
}

function viewOf(db: Database.Database, id: string, where: string, args: (string | number)[], instants: string[], req: PageRequest, byIndex: boolean | undefined, count: (() => number | undefined) | undefined, keep: boolean): { view: View; built: boolean; countedFromMatches: boolean } {
  let kept = views.get(db);
  if (!kept) views.set(db, (kept = new Map()));
  const gen = generation(db);
  const found = kept.get(id);
  if (keep && found && found.generation === gen && !instantsPassed(db, found.instants, instants)) {
    kept.delete(id);
    kept.set(id, found); // most recently used last
    return { view: found, built: false, countedFromMatches: false };
  }
  const fromMatches = count?.();
  const total = fromMatches ?? (prepared(db, `SELECT count(*) AS n FROM ${certificatesFor(where, req.sort, byIndex)} WHERE ${where}`).get(...args) as { n: number }).n;
  const view: View = { generation: gen, instants, total, anchors: [] };
  kept.delete(id);
  if (keep) kept.set(id, view);
  while (kept.size > KEPT_VIEWS) kept.delete(kept.keys().next().value!);
  return { view, built: true, countedFromMatches: fromMatches !== undefined };
}

/**
 * The anchor of row `position` (floor(position / ANCHOR_EVERY)), adding to the view's anchors the ones
 * missing up to it: the first row's key, then one step of ANCHOR_EVERY rows from the last known anchor per
 * anchor (anchorStepSql through readFrom). So the first page of a view costs one count and one seek, scrolling a
 * step per 512 rows, and a far jump one step per 512 rows jumped over: each reads about 513 index entries and no
 * row, however many rows share a key (at 100,000 rows the 195 steps to the last row take 12 to 17 ms, 5 to 11 ms
 * when every row shares its keys, where one window-function walk of the index took 46 to 62). Undefined past the
 * last row.
 */
function anchorFor(db: Database.Database, view: View, where: string, args: (string | number)[], req: PageRequest, byIndex: boolean | undefined): { anchor: Key | undefined; added: number } {
  const index = Math.floor(req.position / ANCHOR_EVERY);
  let added = 0;
  if (view.anchors.length === 0) {
    const first = prepared(db, `${anchorStepSql(where, req, byIndex, null)} LIMIT 1`).raw().get(...args) as Key | undefined;
    if (!first) return { anchor: undefined, added };
    view.anchors.push(first);
    added++;
  }
  while (view.anchors.length <= index) {
    const last = view.anchors.at(-1)!;
    const next = readFrom(db, req.sort, req.direction, (seek) => anchorStepSql(where, req, byIndex, seek), args, last, ANCHOR_EVERY, 1, true)[0] as Key | undefined;
    if (!next) break;
    view.anchors.push(next);
    added++;
  }
  return { anchor: view.anchors[index], added };
}
