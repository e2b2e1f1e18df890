// Delivering a certificate as a PEM file (issue --out FILE): written atomically, then marked delivered.
import { CertDeskError } from '../../../shared/errors.js';
import { writeFileAtomic } from '../files.js';
import { getCheckedCertRow } from '../issuance/records.js';
import { toPem } from '../pki/pem.js';
import type { Vault } from '../vault/vault.js';
import { claimDelivery } from './in-flight.js';
import { removeTmpSiblings } from './leftovers.js';
import { finishDelivery, requirePending } from './store.js';

/** Writes the pending PEM delivery's file and marks it delivered; returns the file. Throws INVALID_INPUT (not pending) or IO_ERROR (it stays pending). */
export function deliverPem(vault: Vault, id: number): string {
  const d = requirePending(vault, id);
  if (d.kind !== 'pem' || d.certificate_id === null) throw new CertDeskError('INTERNAL', `delivery ${id} is not a PEM delivery`, { id });
  const release = claimDelivery(vault, id);
  try {
    removeTmpSiblings(d.target);
    writeFileAtomic(d.target, toPem(new Uint8Array(getCheckedCertRow(vault, d.certificate_id).der)));
    vault.transaction(() => finishDelivery(vault, id, 'delivered'));
    return d.target;
  } finally {
    release();
  }
}
