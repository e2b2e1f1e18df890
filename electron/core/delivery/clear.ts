// Clearing what an interrupted delivery of any kind left behind (see leftovers.ts): before it is tried again,
// and when it is abandoned.
import { getCertRow } from '../issuance/records.js';
import { allCrlFiles } from '../lifecycle/crl-files.js';
import type { Vault } from '../vault/vault.js';
import { bundleFolderName } from '../export/bundle-names.js';
import type { CertRow } from '../issuance/records.js';
import { dropPasswordLines, removePartialBundles, removeTmpSiblings, removeUndeliveredBundles } from './leftovers.js';
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

/**
 * Clears what earlier attempts of a bundle delivery left: hidden ".partial" folders, complete bundle folders
 * whose password reached no one, their lines in the password list, and ".tmp" siblings of the slip, the letter
 * and the list. Safe to call on a delivery that left nothing.
 */
export function clearBundleLeftovers(d: DeliveryRow, cert: CertRow, alsoIn: string[] = []): void {
  const name = bundleFolderName(cert);
  for (const folder of new Set([d.target, ...alsoIn])) {
    removePartialBundles(folder, name);
    removeUndeliveredBundles(folder, name, d.id, cert.sha256);
  }
  for (const file of [d.passwords_file, d.slip_file, d.letter_file]) if (file) removeTmpSiblings(file);
  if (d.passwords_file) dropPasswordLines(d.passwords_file, name);
}
