// Opening SQLite through better-sqlite3, with the native binding the host runtime needs. Node (the CLI,
// the tests, the harness) uses the package's own build; the Electron main process in development points
// at a build for Electron's ABI (see build/electron-native.mjs), so both work from one checkout.
import Database from 'better-sqlite3';

let nativeBinding: string | undefined;

/** Called once by a host before any vault is opened; undefined restores the package's own build. */
export function useSqliteBinding(path: string | undefined): void {
  nativeBinding = path;
}

export function openSqlite(path: string | Buffer, options: Database.Options = {}): Database.Database {
  return new Database(path, nativeBinding ? { ...options, nativeBinding } : options);
}
