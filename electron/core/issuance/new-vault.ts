// A new vault ready to issue from: the vault ring creates the file and its key; issuance writes its own
// starting records (the built-in profiles, each with its MAC) in the same creating transaction, so the file
// appears under its name complete or not at all.
import { Vault, type VaultOptions } from '../vault/vault.js';
import { BUILTIN_PROFILES } from './builtin-profiles.js';

/**
 * Creates the vault at `path` (VAULT_EXISTS if a file is there, INVALID_INPUT for a short passphrase, IO_ERROR)
 * with the built-in profiles, and returns it unlocked.
 */
export function createVault(path: string, passphrase: string, opts: VaultOptions = {}): Promise<Vault> {
  return Vault.create(path, passphrase, opts, seedProfiles);
}

/** Writes the built-in profiles into a vault that has none; the officer edits them from then on. */
export function seedProfiles(vault: Vault): void {
  const at = vault.now().toISOString();
  for (const p of BUILTIN_PROFILES) vault.records.insert('profiles', { id: p.id, definition: JSON.stringify(p), updated_at: at });
}
