// The vault's record of a delivered bundle, the same for one delivery (deliver-bundle.ts) and for a batch step's
// (deliver-step.ts): the export row, its audit entry, the batch's marker and the delivery marked delivered.
import type { ExportSummary } from '../../../shared/domain.js';
import type { CertRow } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { finishDelivery, type DeliveryRow } from './store.js';

/**
 * Records that delivery `d` handed out the bundle `summary` of certificate `row`, made in `outDir`: an
 * "exports" row, the audit entry "cert.export" (with `resumed` when a re-run or "pending resume" finished it),
 * the batch marker's delivered_at (a batch row's delivery) and the delivery as delivered with its folder.
 * Call it inside the transaction that records the outcome, once the password has reached its place.
 */
export function recordBundleExport(vault: Vault, d: DeliveryRow, row: CertRow, summary: ExportSummary, outDir: string, resumed: boolean): void {
  vault.db
    .prepare('INSERT INTO exports (certificate_id, at, encryption, password_generated, folder, files) VALUES (?, ?, ?, ?, ?, ?)')
    .run(row.id, summary.exportedAt, summary.encryption, summary.passwordGenerated ? 1 : 0, summary.folder, JSON.stringify(summary.files.map((f) => f.name)));
  vault.audit('cert.export', `cert:${row.id}`, {
    holder: row.holder,
    folder: summary.folder,
    encryption: summary.encryption,
    passwordGenerated: summary.passwordGenerated,
    delivery: d.id,
    ...(resumed ? { resumed: true } : {}),
  });
  if (d.batch_id !== null && d.row_key !== null && vault.records.read('batch_items', { batch_id: d.batch_id, row_key: d.row_key })) {
    vault.records.update('batch_items', { batch_id: d.batch_id, row_key: d.row_key }, { delivered_at: summary.exportedAt });
  }
  finishDelivery(vault, d.id, 'delivered', { folder: summary.folder, target: outDir });
}
