// A check before a run that signs with several CAs (crl publish): every CA under K-of-N control among them has
// its quorum key in this Vault object, so the run refuses before it signs anything rather than part-way through.
import type { CaRecord } from '../../../shared/domain.js';
import type { Vault } from '../vault/vault.js';
import { caKeyOf } from './ca-key.js';
import { quorumRequired, quorumSessionOf } from './session.js';

/**
 * Throws QUORUM_REQUIRED ("CA "Root" is under 2-of-3 control: give 2 shares with --share FILE") for the first
 * of `cas` whose key is under K-of-N control and not unlocked (unlock.ts) in this Vault object. Reads only.
 */
export function requireQuorumKeys(vault: Vault, cas: CaRecord[]): void {
  for (const ca of cas) {
    const key = caKeyOf(vault, ca);
    const h = key.envelope?.header;
    if (h && quorumSessionOf(vault, key.keyId)?.splitId !== h.splitId) throw quorumRequired(ca.name, h.k, h.n);
  }
}
