// Clearing what an interrupted delivery of any kind left behind (see leftovers.ts): before it is tried again,
// and when it is abandoned.
import { getCertRow } from '../issuance/records.js';
import { allCrlFiles } from '../lifecycle/crl-files.js';
import type { Vault } from '../vault/vault.js';
import { clearBundleLeftovers } from './deliver-bundle.js';
import { removeTmpSiblings } from './leftovers.js';
import type { DeliveryRow } from './store.js';

/** Removes the delivery's leftovers of CertDesk's own: ".partial" bundle folders, unopenable bundles and their password lines, ".tmp" files. */
export function clearLeftovers(vault: Vault, d: DeliveryRow): void {
  if (d.kind === 'bundle') {
    const cert = d.certificate_id === null ? undefined : getCertRow(vault, d.certificate_id);
    if (cert) clearBundleLeftovers(d, cert);
  } else if (d.kind === 'pem') {
    removeTmpSiblings(d.target);
  } else {
    for (const file of allCrlFiles(vault, d.target)) removeTmpSiblings(file);
  }
}
