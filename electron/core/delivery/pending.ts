// Listing undelivered work for people: "certdesk pending" and the window's banner.
import type { PendingDelivery } from '../../../shared/pending.js';
import { getCertRow } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { isInFlight } from './in-flight.js';
import { pendingRows, type DeliveryRow } from './store.js';

const VERB: Record<DeliveryRow['operation'], string> = {
  issue: 'issued',
  renew: 'renewed',
  export: 'exported',
  batch: 'issued by a batch',
  'crl.publish': 'published',
};

/** The delivery as people see it: what it is, where it goes, and where a new password will go. */
export function describeDelivery(vault: Vault, d: DeliveryRow): PendingDelivery {
  const holder = d.certificate_id === null ? null : (getCertRow(vault, d.certificate_id)?.holder ?? null);
  const passwordTo = [d.passwords_file, d.slip_file, d.letter_file].filter((f): f is string => f !== null);
  const cert = `certificate ${d.certificate_id} (${holder})`;
  const crlCount = d.kind === 'crls' ? (JSON.parse(d.details) as { crls: unknown[] }).crls.length : 0;
  const summary =
    d.kind === 'bundle'
      ? `bundle of ${cert}, ${VERB[d.operation]}, into ${d.target}${passwordTo.length ? `; its new password goes to ${passwordTo.join(', ')}` : ''}`
      : d.kind === 'pem'
        ? `${cert}, ${VERB[d.operation]}, as PEM to ${d.target}`
        : `CRLs into ${d.target} (${crlCount} signed and committed but not written; finishing signs fresh ones)`;
  return {
    id: d.id,
    kind: d.kind,
    operation: d.operation,
    certificateId: d.certificate_id,
    holder,
    target: d.target,
    since: d.created_at,
    passwordTo,
    newPassword: d.kind === 'bundle',
    summary,
  };
}

/** Every pending delivery no one in this process is writing right now, oldest first. */
export function listPending(vault: Vault): PendingDelivery[] {
  vault.requireUnlocked();
  return pendingRows(vault)
    .filter((d) => !isInFlight(vault, d.id))
    .map((d) => describeDelivery(vault, d));
}
