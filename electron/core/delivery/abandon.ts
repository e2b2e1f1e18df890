// Abandoning a pending delivery: its leftovers are removed, a key sealed for it is wiped, and the audit log
// says who gave up on what. The certificate itself stays as it is (revoke it if it must not be used).
import { CertDeskError } from '../../../shared/errors.js';
import type { Vault } from '../vault/vault.js';
import { clearLeftovers } from './clear.js';
import { isInFlight } from './in-flight.js';
import { finishDelivery, requirePending } from './store.js';

/**
 * Abandons one pending delivery with a reason for the audit log. Throws INVALID_INPUT when it is not pending
 * or is being written right now, IO_ERROR when a leftover cannot be removed (the delivery then stays pending).
 */
export function abandonDelivery(vault: Vault, id: number, reason: string): void {
  vault.requireUnlocked();
  const d = requirePending(vault, id);
  if (isInFlight(vault, id)) throw new CertDeskError('INVALID_INPUT', `delivery ${id} is being written right now: wait for it to end`, { id });
  clearLeftovers(vault, d);
  vault.transaction(() => {
    finishDelivery(vault, id, 'abandoned', { outcome: reason });
    vault.audit('delivery.abandon', d.certificate_id === null ? null : `cert:${d.certificate_id}`, { delivery: id, kind: d.kind, operation: d.operation, target: d.target, reason });
  });
}
