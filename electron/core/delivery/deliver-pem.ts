// Delivering a certificate as a PEM file (issue --out FILE): written atomically, then marked delivered.
import { CertDeskError } from '../../../shared/errors.js';
import { writeFileAtomic } from '../files.js';
import { caChain } from '../issuance/cas.js';
import { getCheckedCertRow, resolveCa } from '../issuance/records.js';
import { toPem } from '../pki/pem.js';
import type { Vault } from '../vault/vault.js';
import { claimDelivery } from './in-flight.js';
import { removeTmpSiblings } from './leftovers.js';
import { finishDelivery, requirePending } from './store.js';

/** Writes the pending PEM delivery's file (the certificate, and its CA chain when recorded so) and marks it delivered; returns the file. Throws INVALID_INPUT (not pending) or IO_ERROR (it stays pending). */
export function deliverPem(vault: Vault, id: number): string {
  const d = requirePending(vault, id);
  if (d.kind !== 'pem' || d.certificate_id === null) throw new CertDeskError('INTERNAL', `delivery ${id} is not a PEM delivery`, { id });
  const release = claimDelivery(vault, id);
  try {
    removeTmpSiblings(d.target);
    const cert = getCheckedCertRow(vault, d.certificate_id);
    // The certificate followed by its chain when asked: what a server or device installs next to its own key.
    const chain = (JSON.parse(d.details) as { chain?: boolean }).chain && cert.issuer_ca_id !== null ? caChain(vault, resolveCa(vault, String(cert.issuer_ca_id))) : [];
    writeFileAtomic(d.target, [toPem(new Uint8Array(cert.der)), ...chain.map((c) => toPem(new Uint8Array(c.rawData)))].join(''));
    vault.transaction(() => finishDelivery(vault, id, 'delivered'));
    return d.target;
  } finally {
    release();
  }
}
