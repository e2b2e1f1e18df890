// Withdrawing the pending deliveries of certificates that are revoked or deleted: a bundle of a certificate
// that must not be used any more is never handed out by a later "pending resume" or re-run, and the
// officer is not left with deliveries that can only fail. The deliveries are abandoned in the transaction
// that revokes or deletes; their leftovers are removed after it commits.
import type { Vault } from '../vault/vault.js';
import { clearLeftovers } from './clear.js';
import { isInFlight } from './in-flight.js';
import { deliveryHolds, finishDelivery, uncheckedPendingRows, type DeliveryRow } from './store.js';

/**
 * Abandons every intact pending delivery of the certificates `certificateIds`, with `reason` ("certificate
 * revoked") in the delivery and the audit log. Call inside the transaction that revokes or deletes them.
 * A delivery being written right now in this process, or one whose MAC does not hold (it stays reported by
 * "vault verify" and "pending"), is left as it is. Returns the abandoned rows for clearWithdrawn.
 */
export function withdrawDeliveries(vault: Vault, certificateIds: readonly number[], reason: string): DeliveryRow[] {
  const ids = new Set(certificateIds);
  const rows = uncheckedPendingRows(vault).filter((d) => d.certificate_id !== null && ids.has(d.certificate_id) && !isInFlight(vault, d.id) && deliveryHolds(vault, d));
  for (const d of rows) {
    finishDelivery(vault, d.id, 'abandoned', { outcome: reason });
    vault.audit('delivery.abandon', `cert:${d.certificate_id}`, { delivery: d.id, kind: d.kind, operation: d.operation, target: d.target, reason });
  }
  return rows;
}

/**
 * After the commit: removes the withdrawn deliveries' leftovers of CertDesk's own (".partial" folders, ".tmp"
 * files). A leftover that cannot be removed is reported, never thrown: the revocation or deletion stands.
 * Returns one line per leftover that stays.
 */
export function clearWithdrawn(vault: Vault, rows: readonly DeliveryRow[]): string[] {
  const problems: string[] = [];
  for (const d of rows) {
    try {
      clearLeftovers(vault, d);
    } catch (e) {
      problems.push(`delivery ${d.id} to ${d.target}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return problems;
}
