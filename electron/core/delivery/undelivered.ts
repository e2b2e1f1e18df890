// The error an operation gives when it committed a certificate but could not deliver its files: it names the
// certificate, what went wrong, and how to finish the delivery, which stays pending.
import type { CertificateRecord } from '../../../shared/domain.js';
import { CertDeskError, toErrorResult } from '../../../shared/errors.js';

/** Wraps a delivery's failure (same code) after `what` ("issued", "renewed") committed the certificate. */
export function undeliveredError(record: Pick<CertificateRecord, 'id' | 'holder'>, what: string, deliveryId: number, e: unknown): CertDeskError {
  const err = toErrorResult(e);
  return new CertDeskError(
    err.code,
    `certificate ${record.id} (${record.holder}) was ${what}, but its files were not written: ${err.message}. Nothing half-written was left; ` +
      `the delivery (${deliveryId}) is pending: finish it with "certdesk pending resume" or the app's "Finish now".`,
    { ...err.details, certificateId: record.id, delivery: deliveryId },
  );
}
