// What `certdesk quorum show` says about a CA: whether its key is under K-of-N control, the holders, the split,
// and whether this Vault object holds its quorum key now. Reads only; never a share.
import { resolveCa } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { caKeyOf } from './ca-key.js';
import { quorumSessionOf } from './session.js';

export interface QuorumStatus {
  ca: string;
  /** False for a CA whose key is sealed by the vault alone. */
  underQuorum: boolean;
  k: number | null;
  n: number | null;
  /** Share i + 1 belongs to holders[i]. */
  holders: string[];
  splitId: string | null;
  /** Holders whose shares unlocked it in this session, or null when it is not unlocked here. */
  unlockedBy: string[] | null;
}

/**
 * The quorum state of CA `caRef` (id or name).
 * @throws CA_NOT_FOUND, CA_KEY_MISSING, VAULT_TAMPERED, VAULT_LOCKED
 */
export function quorumStatus(vault: Vault, caRef: string): QuorumStatus {
  vault.requireUnlocked();
  const key = caKeyOf(vault, resolveCa(vault, caRef));
  const h = key.envelope?.header;
  if (!h) return { ca: key.ca.name, underQuorum: false, k: null, n: null, holders: [], splitId: null, unlockedBy: null };
  const s = quorumSessionOf(vault, key.keyId);
  return { ca: key.ca.name, underQuorum: true, k: h.k, n: h.n, holders: h.holders, splitId: h.splitId, unlockedBy: s && s.splitId === h.splitId ? s.holders : null };
}
