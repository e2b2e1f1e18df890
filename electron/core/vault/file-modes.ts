// The vault file and SQLite's companions (-wal, -shm) are owner-only (0600). SQLite gives the -wal and -shm
// files the permissions of the database file (https://sqlite.org/tempfiles.html, unix VFS
// findCreateFileMode), so making the file 0600 before SQLite first writes it is enough for a new vault; an
// older vault, written 0644, is tightened when it is opened.
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';

export const VAULT_FILE_MODE = 0o600;

export const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'] as const;

/** Creates an empty owner-only file for SQLite to fill. Throws EEXIST if something is already there. */
export function createVaultFile(path: string): void {
  closeSync(openSync(path, 'wx', VAULT_FILE_MODE));
}

/** Takes group and other permissions away from the vault file and whichever companions exist (not on Windows, where modes do not apply). */
export function tightenVaultFiles(path: string): void {
  if (process.platform === 'win32') return;
  for (const file of [path, ...SQLITE_COMPANIONS.map((s) => path + s)]) {
    if (!existsSync(file)) continue;
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, VAULT_FILE_MODE);
    } catch {
      // Another user's file (a shared read-only copy): opening it decides, not its mode.
    }
  }
}
