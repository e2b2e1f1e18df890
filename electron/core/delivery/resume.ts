// Finishing pending deliveries ("certdesk pending resume", the banner's button, a re-run renew or batch):
// each is cleared of its leftovers and written again from what the vault holds. A bundle gets a new password
// (the first one was never stored, so no one can have it); CRLs are signed afresh.
import type { FailedDelivery, FinishedDelivery, PendingDelivery } from '../../../shared/pending.js';
import { CertDeskError, toErrorResult } from '../../../shared/errors.js';
import type { ExportResult } from '../export/bundle-make.js';
import { publishCrls, type PublishResult } from '../lifecycle/crl-publish.js';
import type { Vault } from '../vault/vault.js';
import { deliverBundle } from './deliver-bundle.js';
import { deliverPem } from './deliver-pem.js';
import { isInFlight } from './in-flight.js';
import { describeDelivery } from './pending.js';
import { checkDelivery, getDelivery, requirePending, uncheckedPendingRows, type DeliveryRow } from './store.js';

export interface ResumeOptions {
  /** Only these deliveries (default: every pending one). */
  ids?: number[];
  /** A reason to leave a delivery pending this time (e.g. its new password would reach no one), or null to go ahead. */
  hold?: (d: PendingDelivery) => string | null;
}

export interface ResumedDelivery extends FinishedDelivery {
  /** The bundle made (for the hand-over page), or null. */
  bundle: ExportResult | null;
}

export interface ResumeReport {
  finished: ResumedDelivery[];
  /** Each stays pending, with the reason. */
  failed: FailedDelivery[];
}

/**
 * Finishes pending deliveries, one at a time, oldest first. Never throws for one delivery's failure: it is
 * reported in `failed` and stays pending. Throws INVALID_INPUT up front when a named delivery does not exist
 * or is not pending.
 */
export async function resumeDeliveries(vault: Vault, opts: ResumeOptions = {}): Promise<ResumeReport> {
  vault.requireUnlocked();
  const rows: DeliveryRow[] = opts.ids ? [...new Set(opts.ids)].sort((a, b) => a - b).map((id) => requirePending(vault, id)) : uncheckedPendingRows(vault);
  const report: ResumeReport = { finished: [], failed: [] };
  const published = new Map<string, PublishResult>();
  for (const row of rows) {
    const delivery = describeDelivery(vault, row);
    try {
      // A row whose MAC does not hold is reported (VAULT_TAMPERED naming it) and nothing is written for it.
      checkDelivery(vault, row);
      if (isInFlight(vault, row.id)) throw new CertDeskError('INVALID_INPUT', `delivery ${row.id} is being written right now`, { id: row.id });
      const held = opts.hold?.(delivery) ?? null;
      if (held) throw new CertDeskError('INVALID_INPUT', held, { id: row.id });
      if (getDelivery(vault, row.id)?.state !== 'pending') {
        // Finished by an earlier one of this run: a publish to the same folder.
        const again = published.get(row.target);
        if (again) report.finished.push({ delivery, files: publishedFiles(again), password: null, bundle: null });
        continue;
      }
      if (row.kind === 'bundle') {
        const bundle = await deliverBundle(vault, row.id, { resumed: true });
        report.finished.push({ delivery, files: [bundle.summary.folder], password: bundle.password, bundle });
      } else if (row.kind === 'pem') {
        report.finished.push({ delivery, files: [deliverPem(vault, row.id)], password: null, bundle: null });
      } else {
        const result = await publishCrls(vault, row.target, undefined, { resumed: true });
        published.set(row.target, result);
        report.finished.push({ delivery, files: publishedFiles(result), password: null, bundle: null });
      }
    } catch (e) {
      const err = toErrorResult(e);
      report.failed.push({ delivery, code: err.code, message: err.message });
    }
  }
  return report;
}

function publishedFiles(r: PublishResult): string[] {
  return [...r.crls.flatMap((c) => [c.derFile, c.pemFile]), r.combinedFile];
}
