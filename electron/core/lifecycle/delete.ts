// Deleting a certificate, as the seeds' consoles offer: it leaves every list, but its record, its key
// and its audit history stay, its serial stays taken, and a revoked one stays on its CA's CRL.
import type { CertificateRecord } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { clearWithdrawn, withdrawDeliveries } from '../delivery/withdraw.js';
import { getCertRow, resolveCertificate, toCertificateRecord } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';

export function deleteCertificates(vault: Vault, refs: string[]): CertificateRecord[] {
  vault.requireUnlocked();
  const rows = refs.map((ref) => resolveCertificate(vault, ref));
  for (const row of rows) {
    if (row.kind === 'ca') throw new CertDeskError('INVALID_INPUT', `certificate ${row.id} is a CA certificate; CAs are not deleted`, { id: row.id });
  }
  const at = vault.now().toISOString();
  const withdrawn = vault.transaction(() => {
    for (const row of rows) {
      vault.records.update('certificates', { id: row.id }, { deleted_at: at });
      vault.audit('cert.delete', `cert:${row.id}`, { holder: row.holder, serial: row.serial, status: row.status });
    }
    return withdrawDeliveries(vault, rows.map((r) => r.id), 'certificate deleted');
  });
  clearWithdrawn(vault, withdrawn);
  return rows.map((row) => toCertificateRecord(vault, getCertRow(vault, row.id)!));
}
