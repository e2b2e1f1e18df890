// Built-in profiles added to CertDesk after a vault was made (the `kdc` profile of issue 12): a vault that lacks
// one gets it at unlock, as an authenticated record (vault.records.insert) with an audit entry, once.
import type { ProfileId } from '../../../shared/domain.js';
import type { Vault } from '../vault/vault.js';
import { BUILTIN_PROFILES } from './builtin-profiles.js';

/** The audit action recording a built-in profile added to an existing vault (target `profile:<id>`). */
export const BUILTIN_PROFILE_ADDED = 'profile.builtin-added';

/**
 * Inserts every built-in profile the vault has no row for, each with its MAC, and audits each (details: the
 * profile's name), in one transaction; returns the ids added. Does nothing for a vault whose record sets do
 * not verify (vault verify reports it; nothing is written into a vault in that state) and never adds a profile
 * the audit log shows added before. Call with the vault unlocked, after its records were authenticated.
 */
export function addMissingBuiltinProfiles(vault: Vault): ProfileId[] {
  // Every unlock asks; almost always every profile is there, and then nothing is locked or scanned.
  if (absentBuiltins(vault).length === 0) return [];
  // Decided and done in one write transaction: two processes unlocking at once add each profile once.
  return vault.transaction(() => {
    if (vault.records.stateProblem() !== null) return [];
    const absent = absentBuiltins(vault);
    if (absent.length === 0) return [];
    const addedBefore = new Set(
      (vault.db.prepare('SELECT target FROM audit WHERE action = ?').all(BUILTIN_PROFILE_ADDED) as { target: string | null }[]).map((r) => r.target),
    );
    const missing = absent.filter((p) => !addedBefore.has(`profile:${p.id}`));
    const at = vault.now().toISOString();
    for (const p of missing) {
      vault.records.insert('profiles', { id: p.id, definition: JSON.stringify(p), updated_at: at });
      vault.audit(BUILTIN_PROFILE_ADDED, `profile:${p.id}`, { name: p.name });
    }
    return missing.map((p) => p.id);
  });
}

/** The built-in profiles the vault has no row for. */
function absentBuiltins(vault: Vault): typeof BUILTIN_PROFILES {
  const present = new Set((vault.db.prepare('SELECT id FROM profiles').all() as { id: string }[]).map((r) => r.id));
  return BUILTIN_PROFILES.filter((p) => !present.has(p.id));
}
