// Where the desktop app keeps its vault by default, and the folder's permissions. The CLI uses the same
// place, so both see one vault. Mirrors Electron's app.getPath('userData') for the product name "CertDesk"
// without importing electron.
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const VAULT_FILE_NAME = 'vault.certdesk';

/** Owner-only: the vault's folder when CertDesk makes it, and CertDesk's own data folder. */
export const PRIVATE_FOLDER_MODE = 0o700;

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'CertDesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'CertDesk');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'CertDesk');
}

export function defaultVaultPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultDataDir(env), VAULT_FILE_NAME);
}

/**
 * Makes sure the vault's folder exists and is private where it is CertDesk's to decide: a missing folder is
 * created owner-only (0700, parents included); CertDesk's own data folder is tightened to 0700 if it is
 * looser. A folder the officer chose and that already exists keeps its permissions (the vault file itself is
 * owner-only). Throws the file system's error when the folder cannot be made.
 */
export function prepareVaultFolder(vaultPath: string, env: NodeJS.ProcessEnv = process.env): void {
  const folder = dirname(resolve(vaultPath));
  if (!existsSync(folder)) {
    mkdirSync(folder, { recursive: true, mode: PRIVATE_FOLDER_MODE });
    return;
  }
  if (process.platform !== 'win32' && folder === resolve(defaultDataDir(env)) && (statSync(folder).mode & 0o077) !== 0) {
    chmodSync(folder, PRIVATE_FOLDER_MODE);
  }
}
