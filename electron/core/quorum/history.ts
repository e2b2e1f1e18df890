// What the audit log says about a quorum CA (issue 15): when its current split was made ("ca.quorum-set" or
// "ca.quorum-reissue" with its split id) and who signed with it lately ("ca.quorum-use": the holders whose shares
// took part). Reads only; the audit log holds holder names, never a share.
import { listAudit } from '../vault/audit.js';
import type { Vault } from '../vault/vault.js';

export interface QuorumHistory {
  /** When the split `splitId` was made (ISO time), or null when the audit log has no entry for it. */
  setAt: string | null;
  /** The latest uses of that split, newest first: when, and which holders' shares. */
  lastUses: { at: string; holders: string[] }[];
}

const holdersOf = (d: Record<string, unknown>): string[] => (Array.isArray(d.holders) ? d.holders.filter((h): h is string => typeof h === 'string') : []);

/**
 * The audit history of CA `caId`'s split `splitId`: its set time and its `limit` latest uses.
 * @param limit uses to return (1 to 100)
 */
export function quorumHistory(vault: Vault, caId: number, splitId: string, limit = 5): QuorumHistory {
  vault.requireUnlocked();
  const target = `ca:${caId}`;
  const made = ['ca.quorum-set', 'ca.quorum-reissue']
    // By split id alone: a CA renewed with a new key keeps its predecessor's split (audited under the predecessor).
    .flatMap((action) => listAudit(vault.db, { action, limit: 10_000 }).filter((e) => e.action === action && e.details.splitId === splitId))
    .at(0);
  const uses = listAudit(vault.db, { action: 'ca.quorum-use', target, limit: 10_000 })
    .filter((e) => e.details.splitId === splitId)
    .slice(0, Math.max(1, Math.min(100, limit)))
    .map((e) => ({ at: e.at, holders: holdersOf(e.details) }));
  return { setAt: made?.at ?? null, lastUses: uses };
}
