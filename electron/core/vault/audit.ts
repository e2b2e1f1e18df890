// The audit chain. Each entry carries HMAC(audit key, its content + the previous MAC); the head
// (last sequence number and MAC) is kept in meta, so editing, deleting, reordering or truncating
// entries is detected. Restoring an entire older copy of the vault file is not (nothing offline can).
import type Database from 'better-sqlite3';
import type { AuditEntry, AuditVerification } from '../../../shared/domain.js';
import { prepared } from './statements.js';
import { equalHex, hmacHex } from './vault-crypto.js';

const GENESIS = '0'.repeat(64);
const HEAD_KEY = 'audit_head';

interface AuditRow {
  seq: number;
  at: string;
  action: string;
  target: string | null;
  details: string;
  prev_mac: string;
  mac: string;
}

function entryMac(key: Buffer, seq: number, at: string, action: string, target: string | null, details: string, prevMac: string): string {
  return hmacHex(key, JSON.stringify([seq, at, action, target, details, prevMac]));
}

function headMac(key: Buffer, seq: number, mac: string): string {
  return hmacHex(key, JSON.stringify(['head', seq, mac]));
}

/**
 * Whether the vault holds a CA or a certificate: every one was recorded in the audit log when it was
 * written, so an empty log beside one means the log was deleted.
 */
function holdsRecords(db: Database.Database): boolean {
  return prepared(db, 'SELECT 1 FROM cas LIMIT 1').get() !== undefined || prepared(db, 'SELECT 1 FROM certificates LIMIT 1').get() !== undefined;
}

const EMPTY_LOG = 'the audit log is empty, but the vault holds CAs or certificates (the log was deleted)';

/** Appends one entry; call inside the transaction that makes the change it records. */
export function appendAudit(db: Database.Database, key: Buffer, at: Date, action: string, target: string | null, details: Record<string, unknown>): number {
  const last = db.prepare('SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; mac: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prev = last?.mac ?? GENESIS;
  const iso = at.toISOString();
  const json = JSON.stringify(details);
  const mac = entryMac(key, seq, iso, action, target, json, prev);
  db.prepare('INSERT INTO audit (seq, at, action, target, details, prev_mac, mac) VALUES (?, ?, ?, ?, ?, ?, ?)').run(seq, iso, action, target, json, prev, mac);
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    HEAD_KEY,
    JSON.stringify({ seq, mac, tag: headMac(key, seq, mac) }),
  );
  return seq;
}

/**
 * The chain's head (meta "audit_head": last sequence number and MAC) when its tag holds and it names the
 * last entry in the table; null when it is missing, was changed, or entries after it were added or removed.
 */
export function readAuditHead(db: Database.Database, key: Buffer): { seq: number; mac: string } | null {
  const row = prepared(db, 'SELECT value FROM meta WHERE key = ?').get(HEAD_KEY) as { value: string } | undefined;
  const last = prepared(db, 'SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1').get() as { seq: number; mac: string } | undefined;
  if (!row) return last || holdsRecords(db) ? null : { seq: 0, mac: GENESIS };
  let head: { seq: number; mac: string; tag: string };
  try {
    head = JSON.parse(row.value) as typeof head;
  } catch {
    return null;
  }
  if (typeof head.tag !== 'string' || !equalHex(headMac(key, head.seq, head.mac), head.tag)) return null;
  if (!last || last.seq !== head.seq || last.mac !== head.mac) return null;
  return { seq: head.seq, mac: head.mac };
}

export function verifyAudit(db: Database.Database, key: Buffer): AuditVerification {
  const rows = db.prepare('SELECT seq, at, action, target, details, prev_mac, mac FROM audit ORDER BY seq').iterate() as IterableIterator<AuditRow>;
  let expectedSeq = 1;
  let prev = GENESIS;
  let count = 0;
  for (const r of rows) {
    count++;
    if (r.seq !== expectedSeq) return { ok: false, entries: count, firstBad: { seq: expectedSeq, problem: `entry ${expectedSeq} is missing (next is ${r.seq})` } };
    if (r.prev_mac !== prev) return { ok: false, entries: count, firstBad: { seq: r.seq, problem: 'does not follow the previous entry (reordered or an entry before it was removed)' } };
    if (!equalHex(entryMac(key, r.seq, r.at, r.action, r.target, r.details, r.prev_mac), r.mac)) {
      return { ok: false, entries: count, firstBad: { seq: r.seq, problem: 'its content was changed (MAC mismatch)' } };
    }
    prev = r.mac;
    expectedSeq++;
  }
  const headRow = db.prepare('SELECT value FROM meta WHERE key = ?').get(HEAD_KEY) as { value: string } | undefined;
  const last = expectedSeq - 1;
  if (!headRow) {
    if (last === 0) return holdsRecords(db) ? { ok: false, entries: 0, firstBad: { seq: 1, problem: EMPTY_LOG } } : { ok: true, entries: 0 };
    return { ok: false, entries: count, firstBad: { seq: last, problem: 'the chain head record is missing' } };
  }
  if (last === 0 && holdsRecords(db)) return { ok: false, entries: 0, firstBad: { seq: 1, problem: EMPTY_LOG } };
  const head = JSON.parse(headRow.value) as { seq: number; mac: string; tag: string };
  if (!equalHex(headMac(key, head.seq, head.mac), head.tag)) {
    return { ok: false, entries: count, firstBad: { seq: head.seq, problem: 'the chain head record was changed' } };
  }
  if (head.seq !== last || head.mac !== prev) {
    return { ok: false, entries: count, firstBad: { seq: last + 1, problem: `entries after ${last} were removed (the chain head says ${head.seq})` } };
  }
  return { ok: true, entries: count };
}

export interface AuditQuery {
  limit?: number;
  action?: string;
  target?: string;
}

/** Newest first. */
export function listAudit(db: Database.Database, q: AuditQuery = {}): AuditEntry[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.action) {
    where.push('action LIKE ?');
    args.push(`${q.action}%`);
  }
  if (q.target) {
    where.push('target = ?');
    args.push(q.target);
  }
  const sql = `SELECT seq, at, action, target, details FROM audit ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT ?`;
  const rows = db.prepare(sql).all(...args, q.limit ?? 1000) as Omit<AuditRow, 'mac' | 'prev_mac'>[];
  return rows.map((r) => ({ seq: r.seq, at: r.at, action: r.action, target: r.target, details: JSON.parse(r.details) as Record<string, unknown> }));
}
