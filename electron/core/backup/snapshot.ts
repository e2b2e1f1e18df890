// The vault's content at one instant, as an SQLite database image in memory: read through a connection of its
// own with SQLite's serialize (sqlite3_serialize reads every page inside one read transaction, WAL included),
// never a copy of the file. What is committed is in it, and nothing half-done: a batch running on the vault's
// own connection, even one inside a transaction right now, is seen as of its last commit.
import Database from 'better-sqlite3';
import { CertDeskError } from '../../../shared/errors.js';
import { openSqlite } from '../vault/sqlite.js';
import type { Vault } from '../vault/vault.js';

/** SQLite header bytes 18 and 19 (https://sqlite.org/fileformat.html): 1 = rollback journal, 2 = WAL. */
const WRITE_VERSION_OFFSET = 18;
const READ_VERSION_OFFSET = 19;

/**
 * The vault's committed content as a database image (bytes of an SQLite file), its journal mode set to
 * rollback in the header: an image in memory cannot have a WAL, and the vault's opener turns WAL back on.
 * @throws CertDeskError IO_ERROR when the vault file cannot be read
 */
export function snapshotVault(vault: Vault): Buffer {
  let image: Buffer;
  try {
    const ro = openSqlite(vault.path, { readonly: true, fileMustExist: true });
    try {
      ro.pragma('busy_timeout = 5000');
      image = ro.serialize();
    } finally {
      ro.close();
    }
  } catch (e) {
    throw new CertDeskError('IO_ERROR', `cannot read the vault ${vault.path} for a backup: ${(e as Error).message}`, { path: vault.path });
  }
  image[WRITE_VERSION_OFFSET] = 1;
  image[READ_VERSION_OFFSET] = 1;
  return image;
}

/** What the manifest counts: CAs (rows of cas) and certificates (end-entity rows of certificates, deleted ones included). */
export interface VaultCounts {
  cas: number;
  certificates: number;
}

/** The counts of a vault's database (the image being backed up or verified). */
export function vaultCounts(db: Database.Database): VaultCounts {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return { cas: n('SELECT count(*) AS n FROM cas'), certificates: n("SELECT count(*) AS n FROM certificates WHERE kind = 'end-entity'") };
}
