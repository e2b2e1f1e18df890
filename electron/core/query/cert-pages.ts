// The certificate table's pages, fetched by key: never by an OFFSET that grows with the position.
//
// Per (filter, sort, direction) an anchor list holds the sort key of every ANCHOR_EVERY-th matching row,
// built by one scan of the sort's index the first time a page of that view is asked for, and kept until the
// certificates change (certificate_changes, bumped by triggers on every write: schema.ts version 8) or, for
// a filter on end dates, until a certificate's end date passes one of its instants. Row position p is then
// a seek to anchor floor(p / ANCHOR_EVERY) on the sort's index and a step of at most ANCHOR_EVERY - 1 rows.
import type Database from 'better-sqlite3';
import { CERT_SORTS, type CertificateRecord } from '../../../shared/domain.js';
import { CERT_SELECT, certificateWhere, toCertificateRecord, type CertificateFilter, type CertRow } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { prepared } from '../vault/statements.js';

export { CERT_SORTS };
export type CertSort = (typeof CERT_SORTS)[number];
export type SortDirection = 'asc' | 'desc';

/** Rows between anchors: the longest step a page takes from its anchor. */
export const ANCHOR_EVERY = 512;
/** Views whose anchors are kept per connection (filters and sorts recently used). */
const KEPT_VIEWS = 32;

/**
 * Each sort's key, ahead of the id that breaks ties. Each has a partial index over the listed (live
 * end-entity) certificates ordered by the key then the rowid (schema.ts version 8): holder
 * (certificates_list_holder, NOCASE), expiry (certificates_list_expiry), issued (certificates_list_issued),
 * status (certificates_list_status: expired first, as stored 'valid' with an end date in the past, then
 * valid, then revoked; each by end date), CA (certificates_list_ca: by issuer name, then end date).
 */
export const SORT_KEYS: Record<CertSort, string[]> = {
  holder: ['c.holder COLLATE NOCASE'],
  expiry: ['c.not_after'],
  issued: ['c.issued_at'],
  status: ['c.status', 'c.not_after'],
  ca: ['c.issuer_dn', 'c.not_after'],
};

/** The ORDER BY of a sort: its key then the id, all in one direction. */
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
function certificatesFor(where: string, sort: CertSort): string {
  return where.startsWith(LISTED) && !where.includes(' MATCH ') ? `certificates c INDEXED BY ${SORT_INDEXES[sort]}` : 'certificates c';
}
const LISTED = "c.deleted_at IS NULL AND c.kind = 'end-entity'";

export function orderBy(sort: CertSort, direction: SortDirection): string {
  const dir = direction === 'asc' ? 'ASC' : 'DESC';
  return [...SORT_KEYS[sort], 'c.id'].map((k) => `${k} ${dir}`).join(', ');
}

type Key = (string | number)[];

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
  /** What the page cost: whether the anchors were built for it, and the rows stepped over from the anchor. */
  work: { anchorsBuilt: boolean; stepped: number };
}

/**
 * One page of certificates matching `filter` (limit and offset ignored) in the order of `sort` (ties by id,
 * same direction), starting at row `position`. A position at or past the end gives no rows. Rows come from
 * an index seek to the nearest anchor at or before the position, plus a step under ANCHOR_EVERY rows.
 * Throws what SQLite throws.
 */
export function certificatePage(vault: Vault, filter: CertificateFilter, req: PageRequest): CertificatePageResult {
  const { limit: _limit, offset: _offset, ...rest } = filter;
  const { where, args, instants } = certificateWhere(vault, rest);
  const viewId = JSON.stringify([rest, req.sort, req.direction]);
  // One read snapshot for the anchors, the count and the page: another process may write in between.
  return vault.db.transaction(() => {
    const { view, built } = viewOf(vault.db, viewId, where, args, instants, req);
    const anchor = view.anchors[Math.floor(req.position / ANCHOR_EVERY)];
    if (!anchor || req.position >= view.total) return { total: view.total, position: req.position, rows: [], work: { anchorsBuilt: built, stepped: 0 } };
    const stepped = req.position % ANCHOR_EVERY;
    const rows = prepared(vault.db, pageSql(where, req)).all(...args, anchor[0]!, ...anchor, req.limit, stepped) as CertRow[];
    return { total: view.total, position: req.position, rows: rows.map((r) => toCertificateRecord(vault, r)), work: { anchorsBuilt: built, stepped } };
  })();
}

/**
 * The page query: the filter, a seek to the anchor's key on the sort's index (a range on the leading key
 * column, then the whole key with the id as a row value), the sort's order, LIMIT and a step under
 * ANCHOR_EVERY rows. Exported for the query-plan test.
 */
export function pageSql(where: string, req: Pick<PageRequest, 'sort' | 'direction'>): string {
  const op = req.direction === 'asc' ? '>=' : '<=';
  const key = [...SORT_KEYS[req.sort], 'c.id'];
  return `${CERT_SELECT.replace('FROM certificates c', `FROM ${certificatesFor(where, req.sort)}`)} WHERE ${where} AND ${key[0]} ${op} ? AND (${key.join(', ')}) ${op} (${key.map(() => '?').join(', ')})
    ORDER BY ${orderBy(req.sort, req.direction)} LIMIT ? OFFSET ?`;
}

/**
 * The anchor query: every row's key in order, numbered; only every ANCHOR_EVERY-th comes back, and the
 * count of all of them. Exported for the query-plan test.
 */
export function anchorSql(where: string, req: Pick<PageRequest, 'sort' | 'direction'>): string {
  const key = [...SORT_KEYS[req.sort].map((k) => k.replace(/ COLLATE NOCASE$/, '')), 'c.id'];
  return `SELECT * FROM (SELECT ${key.map((k, i) => `${k} AS k${i}`).join(', ')}, row_number() OVER (ORDER BY ${orderBy(req.sort, req.direction)}) - 1 AS n
    FROM ${certificatesFor(where, req.sort)} WHERE ${where}) WHERE n % ${ANCHOR_EVERY} = 0`;
}

function viewOf(db: Database.Database, id: string, where: string, args: (string | number)[], instants: string[], req: PageRequest): { view: View; built: boolean } {
  let kept = views.get(db);
  if (!kept) views.set(db, (kept = new Map()));
  const gen = generation(db);
  const found = kept.get(id);
  if (found && found.generation === gen && !instantsPassed(db, found.instants, instants)) {
    kept.delete(id);
    kept.set(id, found); // most recently used last
    return { view: found, built: false };
  }
  const anchors = (prepared(db, anchorSql(where, req)).raw().all(...args) as unknown[][]).map((r) => r.slice(0, -1) as Key);
  const total = (prepared(db, `SELECT count(*) AS n FROM ${certificatesFor(where, req.sort)} WHERE ${where}`).get(...args) as { n: number }).n;
  const view: View = { generation: gen, instants, total, anchors };
  kept.delete(id);
  kept.set(id, view);
  while (kept.size > KEPT_VIEWS) kept.delete(kept.keys().next().value!);
  return { view, built: true };
}
