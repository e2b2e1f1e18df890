// The record-set state (meta "record_sets"): per authenticated table the count of its rows and a digest
// of their MACs (set-digest.ts), and the audit entry that was last when the state was written, all under
// one MAC. A row deleted, added, or replaced by an older copy of itself (its MAC once valid) changes
// its table's set; an older copy of this state no longer names the audit chain's head.
import type Database from 'better-sqlite3';
import { macOf } from './record-encoding.js';
import type { RecordTable } from './record-specs.js';
import { EMPTY_SET, type SetDigest } from './set-digest.js';
import { prepared } from './statements.js';
import { equalHex } from './vault-crypto.js';

const STATE_KEY = 'record_sets';

export interface RecordSetState {
  /** The last audit entry when the state was written (0 before the first). */
  auditSeq: number;
  sets: Partial<Record<RecordTable, SetDigest>>;
}

/** The stored state, and whether its MAC holds; null when there is none (a vault not authenticated yet). */
export type StateRead = { state: RecordSetState; intact: boolean } | null;

function tagOf(key: Buffer, s: RecordSetState): string {
  const tables = (Object.keys(s.sets) as RecordTable[]).sort();
  const values = tables.flatMap((t) => [t, s.sets[t]!.count, s.sets[t]!.digest]);
  return macOf(key, ['certdesk record sets v1', s.auditSeq, ...values]).toString('hex');
}

/** What the state records for a table (the empty set for a table it has not seen a row of). */
export function setOf(state: RecordSetState, table: RecordTable): SetDigest {
  return state.sets[table] ?? EMPTY_SET;
}

/** Whether the state exists at all (intact or not). */
export function hasRecordSets(db: Database.Database): boolean {
  return db.prepare('SELECT 1 FROM meta WHERE key = ?').get(STATE_KEY) !== undefined;
}

/** Reads the state and checks its MAC (`key`: the record-MAC key); unreadable JSON counts as not intact. */
export function readRecordSets(db: Database.Database, key: Buffer): StateRead {
  const row = prepared(db, 'SELECT value FROM meta WHERE key = ?').get(STATE_KEY) as { value: string } | undefined;
  if (!row) return null;
  try {
    const stored = JSON.parse(row.value) as RecordSetState & { tag: string };
    const state: RecordSetState = { auditSeq: stored.auditSeq, sets: stored.sets ?? {} };
    return { state, intact: typeof stored.tag === 'string' && equalHex(tagOf(key, state), stored.tag) };
  } catch {
    return { state: { auditSeq: -1, sets: {} }, intact: false };
  }
}

/** Writes the state with a fresh MAC. Only the record layer calls this, inside the transaction of a write. */
export function writeRecordSets(db: Database.Database, key: Buffer, state: RecordSetState): void {
  const value = JSON.stringify({ auditSeq: state.auditSeq, sets: state.sets, tag: tagOf(key, state) });
  prepared(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(STATE_KEY, value);
}
