// Delivering a bundle: clear what an earlier attempt left, make the bundle with a password, write the password
// to its sinks, then in one transaction record the export, its audit entry and the delivery as delivered. The
// same function serves the first attempt (issue, renew, export, a batch row) and every later one (resume).
import { parseStoredDevices } from '../../../shared/devices.js';
import type { ExportSummary } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import type { PasswordList } from '../batch/password-list.js';
import { checkExportable, keptKeyOf, makeBundle, type ExportIo, type ExportResult } from '../export/bundle-make.js';
import { bundleFolderName } from '../export/bundle-names.js';
import { checkPassword, generatePassword } from '../export/passwords.js';
import { nodeFileSink } from '../files.js';
import { getCertRow, getCheckedCertRow, getProfile, toCertificateRecord, type CertRow } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { whileClaimed } from './in-flight.js';
import { clearBundleLeftovers } from './clear.js';
import { writePasswordSinks } from './password-sinks.js';
import { recordBundleExport } from './record-export.js';
import { openDeliveryKey, requirePending, type DeliveryRow, type PasswordSinks } from './store.js';

export interface DeliverBundleOptions {
  /** The key, when the caller still holds it (issue, renew, a batch row); it is not zeroed here. Else the delivery's sealed key, else the vault's. */
  privateKeyPkcs8?: Uint8Array;
  /** A password the officer set, for the first attempt only (a later attempt generates one: the set one is not stored). */
  password?: string;
  /** A batch's password list, kept open for the whole run (else the delivery's list is opened for the line). */
  list?: PasswordList;
  /** A batch run again into another folder: the bundle goes there now. */
  outDir?: string;
  /** Nothing can be left over (the first attempt, right after the commit) or the caller cleared it (a batch, before opening its list): nothing is looked for. */
  leftoversCleared?: boolean;
  /** Written into the audit entry: the delivery is being finished by "pending resume" or a re-run. */
  resumed?: boolean;
  io?: ExportIo;
}

/** Where a delivery sends its bundle's password besides the caller: the recorded list, slip and letter. */
export function sinksOf(d: DeliveryRow): PasswordSinks {
  return { passwordsFile: d.passwords_file ?? undefined, slip: d.slip_file ?? undefined, letter: d.letter_file ?? undefined };
}

/**
 * Delivers a pending bundle delivery and returns the bundle and its password (shown once). Throws
 * INVALID_INPUT when it is not pending or already being written, NOT_EXPORTABLE when the certificate was revoked
 * or expired meanwhile, KEY_NOT_KEPT when no key can be found, IO_ERROR from the files; on any error the
 * delivery stays pending and no bundle it made is left behind.
 */
export async function deliverBundle(vault: Vault, id: number, opts: DeliverBundleOptions = {}): Promise<ExportResult> {
  vault.requireUnlocked();
  const d = requirePending(vault, id);
  if (d.kind !== 'bundle' || d.certificate_id === null) throw new CertDeskError('INTERNAL', `delivery ${id} is not a bundle delivery`, { id });
  return whileClaimed(vault, id, async () => {
    const row = getCheckedCertRow(vault, d.certificate_id!);
    const before = toCertificateRecord(vault, row);
    checkExportable(row, before.status);
    const outDir = opts.outDir ?? d.target;
    const sinks = sinksOf(d);
    if (!opts.leftoversCleared) clearBundleLeftovers(d, row, [outDir]);

    const rule = row.profile_id ? getProfile(vault, row.profile_id).passwordRule : undefined;
    if (opts.password !== undefined) checkPassword(opts.password, rule);
    const password = opts.password ?? generatePassword(rule);
    const own = opts.privateKeyPkcs8 ? null : (openDeliveryKey(vault, d) ?? keptKeyOf(vault, row));
    let made;
    try {
      made = await makeBundle(vault, row, { outDir, encryption: d.encryption ?? 'modern', password, privateKeyPkcs8: (opts.privateKeyPkcs8 ?? own)!, deliveryId: id, devices: parseStoredDevices(d.devices) }, opts.io);
    } finally {
      own?.fill(0);
    }
    const { written, installSheet, createdAt } = made;
    const summary: ExportSummary = { certificateId: row.id, folder: written.folder, files: written.files, encryption: d.encryption ?? 'modern', passwordGenerated: opts.password === undefined, exportedAt: createdAt };
    try {
      await writePasswordSinks(vault, { certificate: before, summary, password }, sinks, opts.list);
      vault.transaction(() => recordBundleExport(vault, d, row, summary, outDir, opts.resumed === true));
    } catch (e) {
      // A bundle the vault does not count as delivered would be a key on a stick whose password no one has: take it back.
      (opts.io?.sink ?? nodeFileSink).remove(written.folder);
      throw e;
    }
    return { summary, certificate: toCertificateRecord(vault, getCertRow(vault, row.id)!), password, installSheet };
  });
}
