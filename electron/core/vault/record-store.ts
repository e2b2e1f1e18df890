// The one place authenticated records are written and checked. Every insert and update of a table in
// RECORD_SPECS goes through here: the row is written, read back, its MAC computed over the canonical
// encoding of its columns (record-encoding.ts) and stored, and its table's record set (record-sets.ts)
// updated in the same transaction. An update first checks the row it changes, so a row altered outside
// CertDesk is never re-authenticated by a later write.
import type Database from 'better-sqlite3';
import { CertDeskError } from '../../../shared/errors.js';
import { macOf, type FieldValue } from './record-encoding.js';
import { readRecordSets, setOf, writeRecordSets, type RecordSetState } from './record-sets.js';
import { MAC_COLUMN, RECORD_SPECS, RECORD_TABLES, type RecordTable, type Row } from './record-specs.js';
import { changeSet, macElement, sameSet, SetAccumulator, type SetDigest } from './set-digest.js';
import { readAuditHead } from './audit.js';
import { prepared } from './statements.js';
import { equalHex } from './vault-crypto.js';

const RECORD_DOMAIN = 'certdesk record v1';
const ELEMENT_DOMAIN = 'certdesk element v1';
const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;

export const VERIFY_HINT = 'Run "certdesk vault verify" (or Verify on the Audit log screen) to list every changed record.';

/** VAULT_TAMPERED naming the record: "certificate 12 (Alice) in table certificates does not match its MAC: ...". */
export function tamperedRecord(table: RecordTable, row: Row, problem: string): CertDeskError {
  const spec = RECORD_SPECS[table];
  const key = Object.fromEntries(spec.key.map((k) => [k, row[k] ?? null]));
  return new CertDeskError(
    'VAULT_TAMPERED',
    `${spec.describe(row)} in table ${table} ${problem}: the vault was changed outside CertDesk, so it is not used. ${VERIFY_HINT}`,
    { table, record: key },
  );
}

/** VAULT_TAMPERED for something wider than one record (a table's record set, the record-set state). */
export function tamperedVault(what: string, details: Record<string, unknown> = {}): CertDeskError {
  return new CertDeskError('VAULT_TAMPERED', `${what}: the vault was changed outside CertDesk, so it is not used. ${VERIFY_HINT}`, details);
}

export interface RecordKeys {
  /** HKDF sub-key of the vault key for record MACs (vault-crypto.ts deriveSubkeys). */
  recordMac: Buffer;
  /** The audit chain's key: the record-set state names the chain's head. */
  audit: Buffer;
}

export class RecordStore {
  /**
   * Per table, the recorded set (count:digest) this store last found equal to the table's rows, moved on with
   * each write it makes: checkSet then skips the scan while nothing but this store changed the table.
   */
  private readonly matched = new Map<RecordTable, string>();

  constructor(
    readonly db: Database.Database,
    private readonly keys: RecordKeys,
  ) {}

  /** The MAC (hex) of a row: table, then each covered column's name and value, the key first. */
  macOf(table: RecordTable, row: Row): string {
    const values: FieldValue[] = [RECORD_DOMAIN, table];
    for (const c of RECORD_SPECS[table].columns) values.push(c, row[c] ?? null);
    return macOf(this.keys.recordMac, values).toString('hex');
  }

  /** Whether the row's stored MAC matches its content. */
  holds(table: RecordTable, row: Row): boolean {
    const stored = row[MAC_COLUMN];
    return typeof stored === 'string' && equalHex(this.macOf(table, row), stored);
  }

  /**
   * Checks a row read for a decision (it must include the covered columns and `mac`, as `SELECT *` does).
   * Throws VAULT_TAMPERED naming the record when its MAC does not hold. Returns the row.
   */
  check<R extends object>(table: RecordTable, row: R): R {
    const r = row as Row;
    // A row read without a covered column would fail its MAC: that is a bug here, not tampering.
    const missing = [...RECORD_SPECS[table].columns, MAC_COLUMN].find((c) => !(c in r));
    if (missing) throw new CertDeskError('INTERNAL', `a ${table} row was checked without its ${missing} column`, { table });
    if (!this.holds(table, r)) throw tamperedRecord(table, r, r[MAC_COLUMN] ? 'does not match its MAC' : 'has no MAC');
    return row;
  }

  /** A keyed 32-byte value for digests derived from records (a CA's revoked set): HMAC of the values. */
  element(values: readonly FieldValue[]): Buffer {
    return macOf(this.keys.recordMac, [ELEMENT_DOMAIN, ...values]);
  }

  /** The row with this key (covered columns and mac), unchecked; undefined when there is none. */
  read(table: RecordTable, key: Row): Row | undefined {
    const spec = RECORD_SPECS[table];
    const sql = `SELECT ${[...spec.columns, MAC_COLUMN].join(', ')} FROM ${table} WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`;
    return this.statement(sql).get(...spec.key.map((k) => key[k] ?? null)) as Row | undefined;
  }

  /** Every row of a table (covered columns and mac), one at a time. */
  *rows(table: RecordTable): Generator<Row> {
    const spec = RECORD_SPECS[table];
    yield* this.statement(`SELECT ${[...spec.columns, MAC_COLUMN].join(', ')} FROM ${table}`).iterate() as IterableIterator<Row>;
  }

  /**
   * Inserts a row and authenticates it. An INTEGER PRIMARY KEY left out of `values` is assigned by SQLite.
   * Returns the row as stored (with its key and MAC). Call inside the transaction of the change it belongs to.
   */
  insert(table: RecordTable, values: Row): Row {
    return this.atomically(() => this.insertRow(table, values));
  }

  private insertRow(table: RecordTable, values: Row): Row {
    const spec = RECORD_SPECS[table];
    const cols = columnsOf(values);
    const info = this.statement(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => values[c] ?? null));
    const key: Row = Object.fromEntries(spec.key.map((k) => [k, values[k] ?? null]));
    if (spec.key.length === 1 && key[spec.key[0]!] === null) key[spec.key[0]!] = Number(info.lastInsertRowid);
    return this.authenticate(table, key, undefined);
  }

  /**
   * Changes columns of one row. The row is checked first (VAULT_TAMPERED if it was changed outside
   * CertDesk, or is missing), then written, read back and authenticated. Returns the row as stored.
   */
  update(table: RecordTable, key: Row, changes: Row): Row {
    return this.atomically(() => this.updateRow(table, key, changes));
  }

  private updateRow(table: RecordTable, key: Row, changes: Row): Row {
    const spec = RECORD_SPECS[table];
    const current = this.read(table, key);
    if (!current) throw tamperedRecord(table, key, 'is missing');
    this.check(table, current);
    const cols = columnsOf(changes);
    if (cols.length) {
      this.statement(`UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`).run(
        ...cols.map((c) => changes[c] ?? null),
        ...spec.key.map((k) => key[k] ?? null),
      );
    }
    return this.authenticate(table, key, current[MAC_COLUMN] as string);
  }

  /** Inserts the row, or updates it when one with this key exists (settings). */
  put(table: RecordTable, key: Row, values: Row): Row {
    return this.read(table, key) ? this.update(table, key, values) : this.insert(table, { ...key, ...values });
  }

  /** Deletes one row after checking it, and takes it out of its table's record set. */
  remove(table: RecordTable, key: Row): void {
    this.atomically(() => this.removeRow(table, key));
  }

  private removeRow(table: RecordTable, key: Row): void {
    const spec = RECORD_SPECS[table];
    const current = this.read(table, key);
    if (!current) throw tamperedRecord(table, key, 'is missing');
    this.check(table, current);
    this.statement(`DELETE FROM ${table} WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`).run(...spec.key.map((k) => key[k] ?? null));
    this.changeState((s) => {
      s.sets[table] = changeSet(setOf(s, table), macElement(current[MAC_COLUMN] as string), -1);
    });
  }

  /**
   * Deletes one row whose MAC does not hold (one written outside CertDesk, or recorded before its table had
   * MACs) without acting on its content. The table's record set is left as it is: a row CertDesk wrote and
   * someone changed stays reported by "vault verify". INTERNAL when the row holds (use remove).
   */
  discard(table: RecordTable, key: Row): void {
    const spec = RECORD_SPECS[table];
    const current = this.read(table, key);
    if (!current) throw tamperedRecord(table, key, 'is missing');
    if (this.holds(table, current)) throw new CertDeskError('INTERNAL', `${spec.describe(current)} is intact: it is removed, not discarded`, { table });
    this.statement(`DELETE FROM ${table} WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`).run(...spec.key.map((k) => key[k] ?? null));
  }

  /**
   * Authenticates every row of every table and writes a fresh record-set state (a vault upgraded from a
   * version without MACs, at its first unlock). The state names the audit chain's head (-1 when the head
   * does not hold, so the vault is reported until that is resolved). Returns the number of rows per table.
   */
  authenticateAll(): Record<RecordTable, number> {
    const state: RecordSetState = { auditSeq: readAuditHead(this.db, this.keys.audit)?.seq ?? -1, sets: {} };
    const counts = {} as Record<RecordTable, number>;
    for (const table of RECORD_TABLES) {
      const spec = RECORD_SPECS[table];
      const rows = [...this.rows(table)];
      const update = this.statement(`UPDATE ${table} SET ${MAC_COLUMN} = ? WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`);
      const sum = new SetAccumulator();
      for (const row of rows) {
        const mac = this.macOf(table, row);
        update.run(mac, ...spec.key.map((k) => row[k] ?? null));
        sum.add(macElement(mac));
      }
      state.sets[table] = sum.value;
      counts[table] = rows.length;
    }
    writeRecordSets(this.db, this.keys.recordMac, state);
    return counts;
  }

  /**
   * Authenticates the rows of `tables` that the record-set state has never counted (tables that gained MACs in
   * a later schema than the vault's state knew), adding each table's set to the current state. Only for a
   * state that is intact and current; VAULT_TAMPERED otherwise. INTERNAL for a table the state counts already.
   * Returns the number of rows per table.
   */
  authenticateNewTables(tables: readonly RecordTable[]): Partial<Record<RecordTable, number>> {
    const { state, problem } = this.currentState();
    if (problem !== null) throw tamperedVault(problem);
    const counts: Partial<Record<RecordTable, number>> = {};
    for (const table of tables) {
      if (state.sets[table] !== undefined) throw new CertDeskError('INTERNAL', `the record set of ${table} is counted already`, { table });
      const spec = RECORD_SPECS[table];
      const update = this.statement(`UPDATE ${table} SET ${MAC_COLUMN} = ? WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`);
      const sum = new SetAccumulator();
      for (const row of [...this.rows(table)]) {
        const mac = this.macOf(table, row);
        update.run(mac, ...spec.key.map((k) => row[k] ?? null));
        sum.add(macElement(mac));
      }
      state.sets[table] = sum.value;
      counts[table] = sum.value.count;
    }
    writeRecordSets(this.db, this.keys.recordMac, state);
    return counts;
  }

  /**
   * Re-authenticates the rows of `table` after a schema added covered columns to it: a row whose stored MAC
   * holds over `previousColumns` (the table's column list before) and that `accept` takes (e.g. its new columns
   * are still empty) gets its MAC over the current columns, and the table's recorded set moves from the old MAC
   * to the new one. Any other row is left as it is, so it stays reported. Only for a state that is intact and
   * current; VAULT_TAMPERED otherwise. Returns how many rows were re-authenticated and how many were left.
   */
  reauthenticate(table: RecordTable, previousColumns: readonly string[], accept: (row: Row) => boolean): { reauthenticated: number; left: number } {
    const { state, problem } = this.currentState();
    if (problem !== null) throw tamperedVault(problem);
    const spec = RECORD_SPECS[table];
    const update = this.statement(`UPDATE ${table} SET ${MAC_COLUMN} = ? WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`);
    let set = setOf(state, table);
    let reauthenticated = 0;
    let left = 0;
    for (const row of [...this.rows(table)]) {
      const stored = row[MAC_COLUMN];
      const values: FieldValue[] = [RECORD_DOMAIN, table];
      for (const c of previousColumns) values.push(c, row[c] ?? null);
      if (typeof stored !== 'string' || !equalHex(macOf(this.keys.recordMac, values).toString('hex'), stored) || !accept(row)) {
        left++;
        continue;
      }
      const mac = this.macOf(table, row);
      update.run(mac, ...spec.key.map((k) => row[k] ?? null));
      set = changeSet(changeSet(set, macElement(stored), -1), macElement(mac), 1);
      reauthenticated++;
    }
    state.sets[table] = set;
    writeRecordSets(this.db, this.keys.recordMac, state);
    this.matched.delete(table);
    return { reauthenticated, left };
  }

  /** Whether the record-set state counts `table` at all (a table that gained MACs after the state was written does not). */
  counts(table: RecordTable): boolean {
    const read = readRecordSets(this.db, this.keys.recordMac);
    return read?.state.sets[table] !== undefined;
  }

  /** Writes the empty record-set state of a new vault (before its first audit entry). */
  initialize(): void {
    writeRecordSets(this.db, this.keys.recordMac, { auditSeq: 0, sets: {} });
  }

  /**
   * Moves the record-set state on to audit entry `seq` (Vault.audit calls this right after appending it).
   * Only a state that is intact and named the entry before it moves on: an older copy put back from a
   * backup keeps its old entry number, so the replay stays visible to checkFresh and vault verify.
   */
  noteAudit(seq: number): void {
    const read = readRecordSets(this.db, this.keys.recordMac);
    if (!read?.intact || read.state.auditSeq !== seq - 1) return;
    writeRecordSets(this.db, this.keys.recordMac, { ...read.state, auditSeq: seq });
  }

  /** The record-set state if it is intact and names the audit chain's head; otherwise why not. */
  stateProblem(): string | null {
    return this.currentState().problem;
  }

  private currentState(): { state: RecordSetState; problem: null } | { state: null; problem: string } {
    const problem = (p: string) => ({ state: null, problem: p }) as const;
    const read = readRecordSets(this.db, this.keys.recordMac);
    if (!read) return problem('the record-set digests (meta "record_sets") are missing');
    if (!read.intact) return problem('the record-set digests (meta "record_sets") do not match their MAC');
    const head = readAuditHead(this.db, this.keys.audit);
    if (!head) return problem('the audit chain head does not match the audit entries');
    if (head.seq !== read.state.auditSeq) {
      return problem(`the record-set digests were written at audit entry ${read.state.auditSeq}, but the audit chain ends at entry ${head.seq} (an older copy was put back)`);
    }
    return { state: read.state, problem: null };
  }

  /** What the state says about a table, or null when the state cannot be trusted. */
  recordedSet(table: RecordTable): SetDigest | null {
    const read = readRecordSets(this.db, this.keys.recordMac);
    return read?.intact ? setOf(read.state, table) : null;
  }

  /**
   * For reads that decide something from a small table (CAs, profiles): the state is intact and current,
   * every row's MAC holds, and the rows are exactly the set CertDesk last wrote (none deleted, added or
   * put back from an older copy). Throws VAULT_TAMPERED otherwise.
   */
  checkTables(tables: readonly RecordTable[]): void {
    const { state, problem } = this.currentState();
    if (problem !== null) throw tamperedVault(problem);
    for (const table of tables) {
      const sum = new SetAccumulator();
      for (const row of this.rows(table)) {
        this.check(table, row);
        sum.add(macElement(row[MAC_COLUMN] as string));
      }
      const recorded = setOf(state, table);
      if (!sameSet(sum.value, recorded)) throw tamperedVault(`${table}: ${setProblem(sum.value, recorded)}`, { table });
    }
  }

  private authenticate(table: RecordTable, key: Row, previousMac: string | undefined): Row {
    const spec = RECORD_SPECS[table];
    const row = this.read(table, key)!;
    const mac = this.macOf(table, row);
    this.statement(`UPDATE ${table} SET ${MAC_COLUMN} = ? WHERE ${spec.key.map((k) => `${k} = ?`).join(' AND ')}`).run(mac, ...spec.key.map((k) => key[k] ?? null));
    this.changeState((s) => {
      let set = setOf(s, table);
      if (previousMac !== undefined) set = changeSet(set, macElement(previousMac), -1);
      s.sets[table] = changeSet(set, macElement(mac), 1);
    });
    return { ...row, [MAC_COLUMN]: mac };
  }

  /** Read, check, change and rewrite the state: a write refuses when the state was altered outside CertDesk. */
  private changeState(change: (s: RecordSetState) => void): void {
    const read = readRecordSets(this.db, this.keys.recordMac);
    if (!read) throw tamperedVault('the record-set digests (meta "record_sets") are missing');
    if (!read.intact) throw tamperedVault('the record-set digests (meta "record_sets") do not match their MAC');
    const before = new Map(RECORD_TABLES.map((t) => [t, setKey(setOf(read.state, t))]));
    change(read.state);
    writeRecordSets(this.db, this.keys.recordMac, read.state);
    // A table this store had matched stays matched by its own write (a rolled-back write leaves a recorded
    // set that differs from the one noted here, so the next checkSet scans again).
    for (const [table, key] of before) if (this.matched.get(table) === key) this.matched.set(table, setKey(setOf(read.state, table)));
  }

  /**
   * For a decision about one row of a large table (exporting or renewing a certificate): the table's rows
   * are exactly the set CertDesk last wrote, so the row was not put back from an older copy (its MAC once
   * valid). Sums the stored MACs only (the row itself is checked by its caller): about 0.5 s per 100,000
   * rows on a 2-core laptop, and skipped while only this store has written since its last scan. Throws VAULT_TAMPERED naming
   * the table when the state or the set does not hold.
   */
  checkSet(table: RecordTable): void {
    const { state, problem } = this.currentState();
    if (problem !== null) throw tamperedVault(problem);
    const recorded = setOf(state, table);
    if (this.matched.get(table) === setKey(recorded)) return;
    const sum = new SetAccumulator();
    for (const row of this.statement(`SELECT ${MAC_COLUMN} AS mac FROM ${table}`).iterate() as IterableIterator<{ mac: string | null }>) sum.add(macElement(row.mac));
    if (!sameSet(sum.value, recorded)) throw tamperedVault(`${table}: ${setProblem(sum.value, recorded)}`, { table });
    this.matched.set(table, setKey(recorded));
  }

  /** The row, its MAC and its table's set change together (a savepoint inside the caller's transaction). */
  private atomically<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private statement(sql: string): Database.Statement {
    return prepared(this.db, sql);
  }
}

function setKey(set: SetDigest): string {
  return `${set.count}:${set.digest}`;
}

/** "the table holds 99 records where CertDesk wrote 100 (...)": what differs between a table's rows and its recorded set. */
export function setProblem(actual: SetDigest, recorded: SetDigest): string {
  const counts = actual.count === recorded.count ? `${actual.count} records as CertDesk wrote, but not the same ones` : `${actual.count} records where CertDesk wrote ${recorded.count}`;
  return `the table holds ${counts} (a record was deleted, added, or put back from an older copy)`;
}

function columnsOf(values: Row): string[] {
  const cols = Object.keys(values).filter((c) => values[c] !== undefined);
  for (const c of cols) if (!COLUMN_NAME.test(c) || c === MAC_COLUMN) throw new CertDeskError('INTERNAL', `not a column name a record may set: ${c}`, {});
  return cols;
}
