// Shared fixtures for the vault and engine tests: cheap vaults in temporary folders, a movable clock,
// table snapshots and an error matcher that checks both the code and the message.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type Database from 'better-sqlite3';
import { CertDeskError, type ErrorCode } from '../../shared/errors.js';
import { Vault, type VaultOptions } from '../../electron/core/vault/vault.js';
import { createVault } from '../../electron/core/issuance/new-vault.js';
import { tempDir } from './tmp.js';

export const PASSPHRASE = 'a long passphrase';
/** Cheap scrypt so that tests run fast. */
export const TEST_KDF = { alg: 'scrypt', N: 2 ** 12, r: 8, p: 1 } as const;
export const DAY = 86_400_000;

/** A clock the test moves by hand; starts at a whole second so certificate times compare exactly. */
export class TestClock {
  private t: number;
  constructor(start = '2026-03-01T12:00:00.000Z') {
    this.t = new Date(start).getTime();
  }
  readonly now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
  iso(offsetMs = 0): string {
    return new Date(this.t + offsetMs).toISOString();
  }
}

export interface TestVault {
  vault: Vault;
  path: string;
  dir: string;
  clock: TestClock;
}

export function vaultOptions(clock?: TestClock): VaultOptions {
  return clock ? { kdf: { ...TEST_KDF }, clock: clock.now } : { kdf: { ...TEST_KDF } };
}

/** A new unlocked vault in a temporary folder, closed when the test ends. */
export async function newVault(t: TestContext, opts: { clock?: TestClock; dir?: string; file?: string } = {}): Promise<TestVault> {
  const dir = opts.dir ?? tempDir(t);
  const path = join(dir, opts.file ?? 'test.certdesk');
  const clock = opts.clock ?? new TestClock();
  const vault = await createVault(path, PASSPHRASE, vaultOptions(clock));
  t.after(() => vault.close());
  return { vault, path, dir, clock };
}

/** A matcher for assert.throws/rejects: a CertDeskError with this code whose message matches every pattern. */
export function certErr(code: ErrorCode, ...patterns: (RegExp | string)[]): (e: unknown) => true {
  return (e: unknown) => {
    assert.ok(e instanceof CertDeskError, `expected a CertDeskError ${code}, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    for (const p of patterns) {
      if (typeof p === 'string') assert.ok(e.message.includes(p), `message "${e.message}" should mention ${JSON.stringify(p)}`);
      else assert.match(e.message, p);
    }
    return true;
  };
}

export function count(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

export const COUNTED_TABLES = ['certificates', 'keys', 'audit', 'cas', 'recipients', 'unlock_failures'] as const;

export function counts(db: Database.Database): Record<string, number> {
  return Object.fromEntries(COUNTED_TABLES.map((t) => [t, count(db, t)]));
}

/** Every row of every table (BLOBs as hex), for byte-for-byte comparisons of the vault's content. */
export function dumpTables(db: Database.Database): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; sql: string }[];
  const out: Record<string, unknown[]> = {};
  for (const { name: t, sql } of tables) {
    // A WITHOUT ROWID table (the search index's own) is read in its primary key's order.
    const rows = db.prepare(`SELECT * FROM "${t}"${/WITHOUT ROWID\s*$/i.test(sql) ? '' : ' ORDER BY rowid'}`).all() as Record<string, unknown>[];
    out[t] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Buffer.isBuffer(v) ? `hex:${v.toString('hex')}` : v])));
  }
  return out;
}

export function meta(db: Database.Database, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}
