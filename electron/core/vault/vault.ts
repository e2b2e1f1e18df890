// The vault: one SQLite file holding CAs, certificates, sealed private keys, profiles and the audit chain.
// Locked, it can be opened and inspected for its version; unlocked, it holds the vault key in memory.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CertDeskError } from '../../../shared/errors.js';
import type { AuditVerification, KeyType } from '../../../shared/domain.js';
import { appendAudit, verifyAudit } from './audit.js';
import { createVaultFile, tightenVaultFiles } from './file-modes.js';
import { prepareVaultFolder } from './location.js';
import { authenticateSchema6Tables, authenticateSchema7Recipients, authenticateUpgradedRecords } from './record-upgrade.js';
import { addMissingBuiltinProfiles } from '../issuance/builtin-upgrade.js';
// K-of-N control of a CA key (issue 15): a key sealed as a quorum envelope opens only with Q in memory.
import { forgetQuorumKeys, openQuorumKey } from '../quorum/session.js';
// CA keys on PKCS#11 tokens (issue 15): the logged-in token sessions end when the vault locks or closes.
import { closeTokenSessions } from '../pkcs11/session.js';
import { RecordStore } from './record-store.js';
import { openSqlite } from './sqlite.js';
import { checkNewPassphrase } from './passphrase-rule.js';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js';
import { DEFAULT_KDF, deriveKek, deriveSubkeys, newKdfParams, newVaultKey, open, seal, type KdfParams, type VaultSubkeys } from './vault-crypto.js';

const FORMAT = 'certdesk-vault';
/** The vault key's wrap in a vault whose records may not carry MACs yet (schema 3 or older, or not unlocked since). */
const WRAP_AAD = 'certdesk vault key v1';
/**
 * The wrap once the records carry MACs: written in the transaction that authenticates them (or creates the
 * vault), and kept by a passphrase change. A key that opens only with this label is never given to the
 * upgrade path, so deleting the audit log and the record-set state cannot get tampered records re-MACed:
 * that needs the passphrase. (Putting back a version-1 wrap from an older backup can: nothing offline can
 * tell that apart from a genuine upgrade without another secret. That upgrade is not silent: its audit entry
 * "vault.records-authenticated" records the audit chain it found, and vault verify shows it.)
 */
const WRAP_AAD_AUTHENTICATED = 'certdesk vault key v2; records authenticated';

export interface VaultOptions {
  /** The clock every timestamp comes from (tests move it). */
  clock?: () => Date;
  /** KDF cost for a new vault or a passphrase change (tests lower it; production uses DEFAULT_KDF). */
  kdf?: Omit<KdfParams, 'salt'>;
}

interface WrappedKey {
  kdf: KdfParams;
  nonce: string;
  ciphertext: string;
}

export class Vault {
  readonly path: string;
  readonly db: Database.Database;
  private readonly clock: () => Date;
  private readonly kdfCost: Omit<KdfParams, 'salt'>;
  private keys: VaultSubkeys | null = null;
  private recordStore: RecordStore | null = null;

  private constructor(path: string, db: Database.Database, opts: VaultOptions) {
    this.path = path;
    this.db = db;
    this.clock = opts.clock ?? (() => new Date());
    this.kdfCost = opts.kdf ?? DEFAULT_KDF;
  }

  /**
   * Creates a new vault file. The file appears under its name only once it is complete: `setup` (issuance's
   * own tables, see issuance/new-vault.ts) runs in the creating transaction, with the vault key at hand.
   */
  static async create(path: string, passphrase: string, opts: VaultOptions = {}, setup?: (vault: Vault) => void): Promise<Vault> {
    if (existsSync(path)) throw new CertDeskError('VAULT_EXISTS', `a file already exists at ${path}; choose another name or open it`, { path });
    await checkNewPassphrase(passphrase);
    const tmp = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
    try {
      // Owner-only from the first byte: the folder (when CertDesk makes it), the file, and so SQLite's -wal and -shm.
      prepareVaultFolder(path);
      createVaultFile(tmp);
      const db = openSqlite(tmp);
      try {
        const now = (opts.clock ?? (() => new Date()))();
        migrate(db, 0, now);
        const vaultKey = newVaultKey();
        const kdf = newKdfParams(opts.kdf ?? DEFAULT_KDF);
        const wrapped = await wrapVaultKey(vaultKey, passphrase, kdf);
        const created = new Vault(tmp, db, opts);
        created.keys = deriveSubkeys(vaultKey);
        vaultKey.fill(0);
        try {
          created.transaction(() => {
            setMeta(db, 'format', FORMAT);
            setMeta(db, 'created_at', now.toISOString());
            setMeta(db, 'vault_key', wrapped);
            created.records.initialize();
            created.audit('vault.create', null, { schema: SCHEMA_VERSION, kdf: { alg: kdf.alg, N: kdf.N, r: kdf.r, p: kdf.p } });
            setup?.(created);
          });
        } finally {
          created.lock();
        }
      } finally {
        db.close();
      }
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      if (e instanceof CertDeskError) throw e;
      throw new CertDeskError('IO_ERROR', `cannot create the vault at ${path}: ${(e as Error).message}`, { path });
    }
    const vault = Vault.open(path, opts);
    await vault.unlock(passphrase);
    return vault;
  }

  /** Opens a vault locked. A vault from a newer CertDesk is refused without being modified. */
  static open(path: string, opts: VaultOptions = {}): Vault {
    if (!existsSync(path)) throw new CertDeskError('VAULT_NOT_FOUND', `no vault at ${path} (create one with "certdesk init")`, { path });
    const header = readHeader(path);
    if (!header) throw new CertDeskError('VAULT_CORRUPT', `${path} is not a CertDesk vault (not an SQLite database)`, { path });
    // The schema version is read from the file header itself: a vault from a newer CertDesk is refused
    // without SQLite ever opening it (even a read-only connection leaves -wal/-shm files on a WAL database).
    const version = header.userVersion;
    if (version > SCHEMA_VERSION) {
      throw new CertDeskError(
        'VAULT_TOO_NEW',
        `${path} was written by a newer CertDesk (vault format ${version}; this version reads up to ${SCHEMA_VERSION}). Update CertDesk; the vault was not changed.`,
        { path, version, supported: SCHEMA_VERSION },
      );
    }
    // A read-only look at the format marker, so a foreign SQLite file is not switched to WAL or migrated.
    const ro = openSqlite(path, { readonly: true, fileMustExist: true });
    try {
      // One read snapshot for the version and the schema it is checked against: another CertDesk process may be
      // migrating the same vault right now (the header read above can be one version behind).
      ro.transaction(() => {
        const current = ro.pragma('user_version', { simple: true }) as number;
        const format = current > 0 ? (ro.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string } | undefined) : undefined;
        if (format?.value !== FORMAT) throw new CertDeskError('VAULT_CORRUPT', `${path} is not a CertDesk vault`, { path });
        // Before anything writes to it (migrations included): a trigger planted in the file would run inside
        // CertDesk's own writes, and the record layer would then MAC what it did.
        checkSchema(ro, path, current);
      })();
    } catch (e) {
      if (e instanceof CertDeskError) throw e;
      throw new CertDeskError('VAULT_CORRUPT', `${path} is not a readable CertDesk vault: ${(e as Error).message}`, { path });
    } finally {
      ro.close();
    }
    tightenVaultFiles(path);
    const db = openSqlite(path, { fileMustExist: true });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db, version, (opts.clock ?? (() => new Date()))());
    return new Vault(path, db, opts);
  }

  /**
   * A vault over an SQLite image held in memory (a backup being verified, electron/core/backup/): the same
   * checks as open (format marker, a newer vault format refused with VAULT_TOO_NEW, the exact schema the
   * migrations make) and the vault key unwrapped with `passphrase`, without a file and without any write:
   * the image is opened read-only, and its records are not upgraded. An image of an older vault format is
   * migrated and unlocked in memory (its private copy), as open and unlock would do to a file.
   * @param image the SQLite database image (its header's journal bytes 18-19 set to 1: rollback, not WAL)
   * @param label how messages name it, e.g. "the vault in backup /media/stick/ca.certdesk-backup"
   * @throws CertDeskError VAULT_CORRUPT (not a CertDesk vault), VAULT_TOO_NEW, VAULT_TAMPERED (schema changed,
   *   or a vault key not wrapped as an unlocked vault's is), VAULT_WRONG_PASSPHRASE
   */
  static async fromImage(image: Buffer, label: string, passphrase: string, opts: VaultOptions = {}): Promise<Vault> {
    if (image.length < 100 || image.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
      throw new CertDeskError('VAULT_CORRUPT', `${label} is not a CertDesk vault (not an SQLite database)`, { path: label });
    }
    const version = image.readInt32BE(60);
    if (version > SCHEMA_VERSION) {
      throw new CertDeskError('VAULT_TOO_NEW', `${label} was written by a newer CertDesk (vault format ${version}; this version reads up to ${SCHEMA_VERSION}). Update CertDesk.`, { path: label, version, supported: SCHEMA_VERSION });
    }
    const current = version === SCHEMA_VERSION;
    let db: Database.Database;
    try {
      db = openSqlite(image, { readonly: current });
    } catch (e) {
      throw new CertDeskError('VAULT_CORRUPT', `${label} is not a readable CertDesk vault: ${(e as Error).message}`, { path: label });
    }
    try {
      try {
        const format = version > 0 ? (db.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string } | undefined) : undefined;
        if (format?.value !== FORMAT) throw new CertDeskError('VAULT_CORRUPT', `${label} is not a CertDesk vault`, { path: label });
        checkSchema(db, label, version);
      } catch (e) {
        if (e instanceof CertDeskError) throw e;
        throw new CertDeskError('VAULT_CORRUPT', `${label} is not a readable CertDesk vault: ${(e as Error).message}`, { path: label });
      }
      const vault = new Vault(label, db, opts);
      if (!current) {
        migrate(db, version, vault.now());
        await vault.unlock(passphrase);
        return vault;
      }
      const unwrapped = await unwrapVaultKey(getMeta(db, 'vault_key')!, passphrase);
      if (!unwrapped) throw new CertDeskError('VAULT_WRONG_PASSPHRASE', `wrong passphrase: it does not open ${label}`, { path: label });
      const { vaultKey, kek, recordsAuthenticated } = unwrapped;
      kek.fill(0);
      vault.keys = deriveSubkeys(vaultKey);
      vaultKey.fill(0);
      if (!recordsAuthenticated) {
        vault.lock();
        throw new CertDeskError('VAULT_TAMPERED', `${label}: its vault key is not wrapped as an unlocked vault's is (a wrap from before its records were authenticated was put back)`, { path: label });
      }
      return vault;
    } catch (e) {
      if (db.open) db.close();
      throw e;
    }
  }

  get unlocked(): boolean {
    return this.keys !== null;
  }

  now(): Date {
    return this.clock();
  }

  async unlock(passphrase: string): Promise<void> {
    const unwrapped = await unwrapVaultKey(getMeta(this.db, 'vault_key')!, passphrase);
    if (!unwrapped) {
      this.db.prepare('INSERT INTO unlock_failures (at) VALUES (?)').run(this.now().toISOString());
      throw new CertDeskError('VAULT_WRONG_PASSPHRASE', 'wrong passphrase: the vault stays locked', {});
    }
    const { vaultKey, kek, kdf, recordsAuthenticated } = unwrapped;
    this.lock(); // unlocking an unlocked vault: the sub-keys in memory are dropped, not left behind
    this.keys = deriveSubkeys(vaultKey);
    // A version-1 wrap: the same key under the same passphrase, labelled "records authenticated", for the transaction that makes it so.
    const boundWrap = recordsAuthenticated ? null : wrapUnder(kek, vaultKey, kdf, WRAP_AAD_AUTHENTICATED);
    vaultKey.fill(0);
    kek.fill(0);
    try {
      // Before anything else can read a record: a vault upgraded from version 3 gets its MACs now (only with a version-1 wrap).
      authenticateUpgradedRecords(this, boundWrap === null ? null : () => setMeta(this.db, 'vault_key', boundWrap));
      // A vault made before schema 6: its pending deliveries and batch markers get their MACs now, once.
      authenticateSchema6Tables(this);
      // A vault made before schema 7: its recipients' MACs now cover the SID and account, once.
      authenticateSchema7Recipients(this);
    } catch (e) {
      this.lock();
      throw e;
    }
    this.recordUnlockFailures();
    try {
      // Built-in profiles added to CertDesk since the vault was made (the kdc profile): added once, audited.
      addMissingBuiltinProfiles(this);
    } catch (e) {
      this.lock();
      throw e;
    }
  }

  /** Drops every key from memory. The vault can be unlocked again with the passphrase. */
  lock(): void {
    forgetQuorumKeys(this);
    closeTokenSessions(this);
    if (this.keys) {
      this.keys.records.fill(0);
      this.keys.audit.fill(0);
      this.keys.recordMac.fill(0);
    }
    this.keys = null;
    this.recordStore = null;
  }

  close(): void {
    this.lock();
    if (this.db.open) this.db.close();
  }

  /** Rewraps the vault key under the new passphrase; records are not re-encrypted. */
  async changePassphrase(current: string, next: string): Promise<void> {
    await checkNewPassphrase(next);
    const unwrapped = await unwrapVaultKey(getMeta(this.db, 'vault_key')!, current);
    if (!unwrapped) throw new CertDeskError('VAULT_WRONG_PASSPHRASE', 'the current passphrase is wrong: nothing was changed', {});
    const { vaultKey, kek, recordsAuthenticated } = unwrapped;
    kek.fill(0);
    const wasLocked = !this.keys;
    const kdf = newKdfParams(this.kdfCost);
    // The label stays: a vault not authenticated yet must still be upgraded at its next unlock.
    const rewrapped = await wrapVaultKey(vaultKey, next, kdf, recordsAuthenticated ? WRAP_AAD_AUTHENTICATED : WRAP_AAD);
    // The same vault key: sub-keys already in memory stay (and stay in use by the record layer).
    this.keys ??= deriveSubkeys(vaultKey);
    vaultKey.fill(0);
    this.transaction(() => {
      setMeta(this.db, 'vault_key', rewrapped);
      this.audit('vault.passphrase-change', null, { kdf: { alg: kdf.alg, N: kdf.N, r: kdf.r, p: kdf.p } });
    });
    if (wasLocked) this.lock();
  }

  /** Runs fn in one SQLite transaction: everything it writes commits together or not at all. */
  transaction<T>(fn: () => T): T {
    // IMMEDIATE: the write lock is taken when the transaction begins, so what it reads is what it writes over
    // (another CertDesk process on the same vault waits for it, up to the busy timeout, instead of both
    // deciding from the same state). Nested calls run as savepoints.
    return this.db.transaction(fn).immediate();
  }

  /** Appends an audit entry (call inside the transaction of the change it records) and returns its number. */
  audit(action: string, target: string | null, details: Record<string, unknown> = {}): number {
    const key = this.requireKeys().audit;
    // The entry and the record-set state naming it commit together, even for a caller outside a transaction.
    return this.transaction(() => {
      const seq = appendAudit(this.db, key, this.now(), action, target, details);
      this.records.noteAudit(seq);
      return seq;
    });
  }

  /** The authenticated-records layer: every write of a record in RECORD_SPECS and every check goes through it. VAULT_LOCKED while locked. */
  get records(): RecordStore {
    const keys = this.requireKeys();
    this.recordStore ??= new RecordStore(this.db, keys);
    return this.recordStore;
  }

  verifyAudit(): AuditVerification {
    return verifyAudit(this.db, this.requireKeys().audit);
  }

  /** Seals a private key (DER PKCS#8) into the vault and returns its id. Call inside the issuing transaction. */
  storeKey(keyType: KeyType, pkcs8: Uint8Array, spki: Uint8Array): string {
    const id = randomUUID();
    const sealed = seal(this.requireKeys().records, pkcs8, `key:${id}`);
    this.records.insert('keys', { id, key_type: keyType, spki: Buffer.from(spki), nonce: sealed.nonce, ciphertext: sealed.ciphertext, created_at: this.now().toISOString() });
    return id;
  }

  /**
   * Opens a sealed private key (DER PKCS#8). Its binding (id, type, public key, nonce, ciphertext) is checked
   * first: VAULT_TAMPERED when it was changed, moved to another row or deleted outside CertDesk.
   */
  loadKey(id: string): Uint8Array {
    const row = this.records.read('keys', { id });
    if (!row) throw new CertDeskError('VAULT_TAMPERED', `private key ${id} is missing from the vault: the vault was changed outside CertDesk`, { table: 'keys', record: { id } });
    this.records.check('keys', row);
    const pkcs8 = open(this.requireKeys().records, { nonce: row.nonce as Buffer, ciphertext: row.ciphertext as Buffer }, `key:${id}`);
    if (!pkcs8) throw new CertDeskError('VAULT_CORRUPT', `private key ${id} does not decrypt (the record was altered or moved)`, { keyId: id });
    // A CA key under K-of-N control: QUORUM_REQUIRED unless K shares were given to this Vault object (quorum/session.ts).
    return openQuorumKey(this, id, new Uint8Array(pkcs8));
  }

  /**
   * Seals a secret other than a stored key (a pending delivery's private key) under the vault's record key,
   * bound to `aad` (the row it belongs to, e.g. "delivery-key:7"), so it cannot be moved to another row.
   */
  sealSecret(data: Uint8Array, aad: string): { nonce: Buffer; ciphertext: Buffer } {
    return seal(this.requireKeys().records, data, aad);
  }

  /** Opens what sealSecret sealed with the same `aad`. Throws VAULT_CORRUPT when it was altered or moved. */
  openSecret(sealed: { nonce: Buffer; ciphertext: Buffer }, aad: string): Uint8Array {
    const data = open(this.requireKeys().records, sealed, aad);
    if (!data) throw new CertDeskError('VAULT_CORRUPT', `the sealed ${aad} does not decrypt (the record was altered or moved)`, { record: aad });
    return new Uint8Array(data);
  }

  /** A setting as stored, unchecked: for display and the auto-lock timer (read while locked, too). */
  getSetting<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  /** A setting that decides what is handed out (the letter template): VAULT_TAMPERED when it was changed outside CertDesk. */
  verifiedSetting<T>(key: string): T | undefined {
    const row = this.records.read('settings', { key });
    return row ? (JSON.parse(this.records.check('settings', row).value as string) as T) : undefined;
  }

  setSetting(key: string, value: unknown): void {
    this.requireKeys();
    this.transaction(() => {
      this.records.put('settings', { key }, { value: JSON.stringify(value) });
      this.audit('settings.change', key, { value });
    });
  }

  schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  requireUnlocked(): void {
    this.requireKeys();
  }

  private requireKeys(): VaultSubkeys {
    if (!this.keys) throw new CertDeskError('VAULT_LOCKED', 'the vault is locked: unlock it with its passphrase first', {});
    return this.keys;
  }

  private recordUnlockFailures(): void {
    const rows = this.db.prepare('SELECT at FROM unlock_failures ORDER BY id').all() as { at: string }[];
    if (rows.length === 0) return;
    this.transaction(() => {
      this.audit('vault.unlock-failed', null, { count: rows.length, first: rows[0]!.at, last: rows[rows.length - 1]!.at });
      this.db.prepare('DELETE FROM unlock_failures').run();
    });
  }
}

/**
 * The vault key sealed under a key derived from the passphrase, with the KDF parameters beside it (meta "vault_key").
 * Exported for a backup restored with shares (backup/share-slot.ts), which sets a new passphrase this way.
 */
export async function wrapVaultKey(vaultKey: Buffer, passphrase: string, kdf: KdfParams, label = WRAP_AAD_AUTHENTICATED): Promise<string> {
  const kek = await deriveKek(passphrase, kdf);
  try {
    return wrapUnder(kek, vaultKey, kdf, label);
  } finally {
    kek.fill(0);
  }
}

function wrapUnder(kek: Buffer, vaultKey: Buffer, kdf: KdfParams, label: string): string {
  const sealed = seal(kek, vaultKey, label);
  return JSON.stringify({ kdf, nonce: sealed.nonce.toString('hex'), ciphertext: sealed.ciphertext.toString('hex') } satisfies WrappedKey);
}

/**
 * The vault key and the key that wrapped it (the caller zeroes both), and whether the wrap says the records
 * carry MACs; null when the passphrase is wrong.
 */
export async function unwrapVaultKey(stored: string, passphrase: string): Promise<{ vaultKey: Buffer; kek: Buffer; kdf: KdfParams; recordsAuthenticated: boolean } | null> {
  const wrapped = JSON.parse(stored) as WrappedKey;
  const kek = await deriveKek(passphrase, wrapped.kdf);
  const sealed = { nonce: Buffer.from(wrapped.nonce, 'hex'), ciphertext: Buffer.from(wrapped.ciphertext, 'hex') };
  const bound = open(kek, sealed, WRAP_AAD_AUTHENTICATED);
  if (bound) return { vaultKey: bound, kek, kdf: wrapped.kdf, recordsAuthenticated: true };
  const v1 = open(kek, sealed, WRAP_AAD);
  if (v1) return { vaultKey: v1, kek, kdf: wrapped.kdf, recordsAuthenticated: false };
  kek.fill(0);
  return null;
}

function migrate(db: Database.Database, from: number, now: Date): void {
  if (!MIGRATIONS.some((m) => m.version > from)) return;
  // The version is read again under the write lock: another CertDesk process opening the same vault at the
  // same moment may have migrated it meanwhile, and a migration must not run twice.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const m of MIGRATIONS.filter((m) => m.version > current)) {
      m.up(db, now);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

/** One object of sqlite_schema, CertDesk's own (from its migrations) or not. */
interface SchemaObject {
  type: string;
  name: string;
  sql: string | null;
}

function schemaObjects(db: Database.Database): Map<string, SchemaObject> {
  // sqlite_% are SQLite's own (autoindexes, sqlite_sequence, sqlite_stat*): SQLite makes them, nobody can add triggers through them.
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").all() as SchemaObject[];
  return new Map(rows.map((r) => [`${r.type} ${r.name}`, r]));
}

/** The SQL text as SQLite keeps it, with runs of white space made one space (ALTER TABLE edits it in place). */
const normalSql = (sql: string | null) => (sql ?? '').replace(/\s+/g, ' ').trim();

/** The schema CertDesk's migrations up to a version make, by version: made once per process (expectedSchema). */
const expectedSchemas = new Map<number, ReadonlyMap<string, SchemaObject>>();

/**
 * The schema objects (schemaObjects) that CertDesk's migrations up to `version` create, made by running them on an
 * empty in-memory database the first time a version is asked for, then kept: every vault open compares against
 * it, and running the migrations took about 16 ms of each open (a profile of test/cli/cli-crash.test.ts).
 */
function expectedSchema(version: number): ReadonlyMap<string, SchemaObject> {
  let own = expectedSchemas.get(version);
  if (!own) {
    const expected = openSqlite(':memory:');
    try {
      for (const m of MIGRATIONS.filter((m) => m.version <= version)) m.up(expected, new Date(0));
      own = schemaObjects(expected);
    } finally {
      expected.close();
    }
    expectedSchemas.set(version, own);
  }
  return own;
}

/**
 * Refuses (VAULT_TAMPERED) a vault whose schema holds anything CertDesk's migrations up to `version` do not
 * create: a trigger, a view, another table or index, or one of CertDesk's own defined differently. Reads only.
 */
function checkSchema(db: Database.Database, path: string, version: number): void {
  const own = expectedSchema(version);
  const found = schemaObjects(db);
  const problems: string[] = [];
  for (const [id, obj] of found) {
    const mine = own.get(id);
    if (!mine) problems.push(`${obj.type} ${obj.name} was added outside CertDesk`);
    else if (normalSql(mine.sql) !== normalSql(obj.sql)) problems.push(`${obj.type} ${obj.name} was changed outside CertDesk`);
  }
  for (const [id, obj] of own) if (!found.has(id)) problems.push(`${obj.type} ${obj.name} was removed outside CertDesk`);
  if (problems.length > 0) {
    throw new CertDeskError(
      'VAULT_TAMPERED',
      `${path} was changed outside CertDesk: ${problems.join('; ')}. CertDesk does not open it (the vault was not changed).`,
      { path, problems },
    );
  }
}

function getMeta(db: Database.Database, key: string): string | undefined {
  return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

function setMeta(db: Database.Database, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** The SQLite header (https://sqlite.org/fileformat.html): magic string, and PRAGMA user_version at offset 60. */
function readHeader(path: string): { userVersion: number } | null {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(100);
    const n = readSync(fd, buf, 0, 100, 0);
    if (n < 100 || buf.toString('latin1', 0, 16) !== 'SQLite format 3\0') return null;
    return { userVersion: buf.readInt32BE(60) };
  } finally {
    closeSync(fd);
  }
}

// A new passphrase's rule (length, then zxcvbn-ts strength): passphrase-rule.ts.
export { MIN_PASSPHRASE_LENGTH } from './passphrase-rule.js';
