// Where the desktop app keeps its vault by default. The CLI uses the same place, so both see one vault.
// Mirrors Electron's app.getPath('userData') for the product name "CertDesk" without importing electron.
import { homedir } from 'node:os';
import { join } from 'node:path';

export const VAULT_FILE_NAME = 'vault.certdesk';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'CertDesk');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'CertDesk');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'CertDesk');
}

export function defaultVaultPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultDataDir(env), VAULT_FILE_NAME);
}
