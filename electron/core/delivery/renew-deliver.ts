// Renewing with files: the successor and its pending delivery commit together, then the bundle is written
// and the delivery marked delivered. Running the same renewal again after an interruption finishes the
// successor's pending delivery instead of failing with "already renewed". Shared by the CLI and the window.
import type { CertificateRecord, PreflightFinding } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import type { ExportResult } from '../export/bundle-make.js';
import { checkParentFolder } from '../export/bundle-writer.js';
import { checkPassword } from '../export/passwords.js';
import { getCertRow, getProfile, resolveCertificate, toCertificateRecord } from '../issuance/records.js';
import { revokeCertificates } from '../issuance/revocation.js';
import { renewCertificate, type RenewOptions } from '../lifecycle/renew.js';
import type { Vault } from '../vault/vault.js';
import { deliverBundle } from './deliver-bundle.js';
import { recordTargetDelivery, type BundleTarget } from './issue-deliver.js';
import { formForCertificate } from './last-delivery.js';
import { pendingBundleOf } from './store.js';
import { undeliveredError } from './undelivered.js';

export interface RenewRequest extends Omit<RenewOptions, 'inTransaction'> {
  /** Revoke the old certificate as superseded once the successor exists. */
  revokeOld?: boolean;
}

export interface RenewDelivered {
  record: CertificateRecord;
  previous: CertificateRecord;
  /** The successor's bundle (with its password, shown once), or null without a target. */
  bundle: ExportResult | null;
  /** True when an earlier, interrupted run had renewed it and this one finished its delivery. */
  resumed: boolean;
  /** What preflight found about the successor; empty for a resumed renewal (checked when it was made). */
  findings: PreflightFinding[];
}

/**
 * Renews a certificate and, given a target, writes the successor's bundle, in the form of the target's devices or
 * encryption, else of the certificate's last delivery (last-delivery.ts formForCertificate), else the profile's.
 * Checked before anything is committed: the folder (IO_ERROR), devices contradicting the encryption (INVALID_INPUT), a set password (INVALID_INPUT), a key to put in the PFX (KEY_NOT_KEPT for a
 * certificate signed from a CSR). Renewal errors as renewCertificate. A bundle that cannot be written once
 * the successor exists gives an error (same code) naming it and its pending delivery.
 */
export async function renewWithBundle(vault: Vault, ref: string, req: RenewRequest, target?: BundleTarget): Promise<RenewDelivered> {
  vault.requireUnlocked();
  const old = resolveCertificate(vault, ref);
  const pending = old.superseded_by === null ? undefined : pendingBundleOf(vault, old.superseded_by);
  if (pending) return finishInterrupted(vault, old.id, pending.id, req);
  if (target) {
    checkParentFolder(target.outDir);
    // No devices and no encryption named: what this certificate (or its predecessor) was delivered for last.
    target = { ...target, ...formForCertificate(vault, old.id, target, 'devices') };
    if (old.source === 'csr') {
      throw new CertDeskError('KEY_NOT_KEPT', `certificate ${old.id} (${old.holder}) was signed from a CSR: its key never left the device, so there is no bundle to write; renew it without a bundle folder`, { id: old.id });
    }
    if (target.password !== undefined && old.profile_id) checkPassword(target.password, getProfile(vault, old.profile_id).passwordRule);
  }
  let delivery = 0;
  const r = await renewCertificate(vault, ref, {
    sameKey: req.sameKey,
    days: req.days,
    override: req.override,
    inTransaction: target
      ? (certificateId, pkcs8) => {
          delivery = recordTargetDelivery(vault, 'renew', certificateId, target, pkcs8 ?? undefined);
        }
      : undefined,
  });
  try {
    if (req.revokeOld) revokeCertificates(vault, [String(old.id)], 'superseded');
    let bundle: ExportResult | null = null;
    if (target) {
      try {
        bundle = await deliverBundle(vault, delivery, { privateKeyPkcs8: r.privateKeyPkcs8 ?? undefined, password: target.password, leftoversCleared: true });
      } catch (e) {
        throw undeliveredError(r.record, 'renewed', delivery, e);
      }
    }
    return { record: bundle?.certificate ?? r.record, previous: record(vault, old.id), bundle, resumed: false, findings: r.findings };
  } finally {
    r.privateKeyPkcs8?.fill(0);
  }
}

/** The earlier run renewed `oldId` and committed the successor's delivery, then stopped: finish what it left. */
async function finishInterrupted(vault: Vault, oldId: number, delivery: number, req: RenewRequest): Promise<RenewDelivered> {
  if (req.revokeOld && getCertRow(vault, oldId)!.status === 'valid') revokeCertificates(vault, [String(oldId)], 'superseded');
  let bundle: ExportResult;
  try {
    bundle = await deliverBundle(vault, delivery, { resumed: true });
  } catch (e) {
    throw undeliveredError(record(vault, getCertRow(vault, oldId)!.superseded_by!), 'renewed', delivery, e);
  }
  return { record: bundle.certificate, previous: record(vault, oldId), bundle, resumed: true, findings: [] };
}

function record(vault: Vault, id: number): CertificateRecord {
  return toCertificateRecord(vault, getCertRow(vault, id)!);
}
