// Abandoning a pending delivery: its leftovers are removed, a key sealed for it is wiped, and the audit log
// says who gave up on what. The certificate itself stays as it is (revoke it if it must not be used).
// A delivery whose MAC does not hold (written outside CertDesk, or recorded before deliveries carried MACs)
// is only removed: nothing it names (folders, files) is touched.
import { CertDeskError } from '../../../shared/errors.js';
import type { Vault } from '../vault/vault.js';
import { clearLeftovers } from './clear.js';
import { isInFlight } from './in-flight.js';
import { deliveryHolds, finishDelivery, rawDelivery, requirePending, type DeliveryRow } from './store.js';

/**
 * The delivery to abandon: pending and intact, or one whose MAC does not hold (any state). INVALID_INPUT when
 * there is none or it is an intact one that is no longer pending.
 */
export function requireAbandonable(vault: Vault, id: number): DeliveryRow {
  const raw = rawDelivery(vault, id);
  if (raw && !deliveryHolds(vault, raw)) return raw;
  return requirePending(vault, id);
}

/**
 * Abandons one pending delivery with a reason for the audit log. Throws INVALID_INPUT when it is not pending
 * or is being written right now, IO_ERROR when a leftover cannot be removed (the delivery then stays pending).
 */
export function abandonDelivery(vault: Vault, id: number, reason: string): void {
  vault.requireUnlocked();
  const d = requireAbandonable(vault, id);
  if (isInFlight(vault, id)) throw new CertDeskError('INVALID_INPUT', `delivery ${id} is being written right now: wait for it to end`, { id });
  if (!deliveryHolds(vault, d)) {
    vault.transaction(() => {
      vault.records.discard('deliveries', { id });
      vault.audit('delivery.abandon', null, { delivery: id, unauthenticated: true, kind: d.kind, operation: d.operation, certificate: d.certificate_id, target: d.target, reason });
    });
    return;
  }
  clearLeftovers(vault, d);
  vault.transaction(() => {
    finishDelivery(vault, id, 'abandoned', { outcome: reason });
    vault.audit('delivery.abandon', d.certificate_id === null ? null : `cert:${d.certificate_id}`, { delivery: id, kind: d.kind, operation: d.operation, target: d.target, reason });
  });
}
