// Delivering a batch step's bundles together: what deliverBundle does for one delivery, done for many with the
// disk work grouped. Every bundle is built (on the workers, in parallel), then all are written with one flush
// (export/bundle-writer.ts writeBundles), then their password lines are appended with one fsync, then one
// transaction records every export and marks every delivery delivered. A crash at any point leaves each
// delivery pending (its bundle, if complete, is one whose password reached no one: the next attempt removes
// it and its line, as for a single delivery) or delivered, never a password line for a bundle not on the disk.
import { parseStoredDevices } from '../../../shared/devices.js';
import { basename } from 'node:path';
import type { ExportSummary } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import type { PasswordLine, PasswordList } from '../batch/password-list.js';
import { buildBundle, keptKeyOf, checkExportable, type BuiltBundle, type BundleShared, type ExportIo } from '../export/bundle-make.js';
import { writeBundles, type WrittenBundle } from '../export/bundle-writer.js';
import { generatePassword } from '../export/passwords.js';
import { nodeFileSink } from '../files.js';
import { getCheckedCertRow, getProfile, toCertificateRecord, type CertRow } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { claimDelivery } from './in-flight.js';
import { pfxFileOf } from './password-sinks.js';
import { recordBundleExport } from './record-export.js';
import { openDeliveryKey, requirePending, type DeliveryRow } from './store.js';

export interface StepDelivery {
  /** A pending bundle delivery whose only password sink is a password list (a batch row's). */
  id: number;
  /** The key, when the caller still holds it (a row issued in this step); it is not zeroed here. Else the delivery's sealed key, else the vault's. */
  privateKeyPkcs8?: Uint8Array;
}

export interface DeliverStepOptions {
  /** The batch's password list, open for the whole run: every line of the step goes there. */
  list: PasswordList;
  /** The folder every bundle of the step is made in. */
  outDir: string;
  /** What is computed once per batch (the CA chains). */
  shared: BundleShared;
  io?: ExportIo;
  /**
   * Settles once the steps before this one have appended their lines (or failed): awaited before this step's
   * lines go to the list, so the list is in the CSV's order however the steps' disk work interleaves. Must not reject.
   */
  appendAfter?: Promise<void>;
}

/** What the step delivered, in the order given. */
export interface StepDelivered {
  id: number;
  certificateId: number;
  folder: string;
}

interface Prepared {
  item: StepDelivery;
  d: DeliveryRow;
  row: CertRow;
  holder: string;
  alias: string | null;
  password: string;
}

/**
 * Delivers the pending bundle deliveries `items` (leftovers of earlier attempts already cleared by the caller)
 * into `opts.outDir`, each with a new generated password appended to `opts.list`, in four grouped steps:
 * build every bundle on the workers; write them all (writeBundles: one flush of the files and folders, the
 * renames, one flush of the folder); wait for `opts.appendAfter` (the earlier steps' lines), then append every
 * password line with one fsync; then one transaction
 * records each export (its audit entry "cert.export" with `resumed` when the key came from the vault) and
 * marks each delivery, and its batch marker, delivered. Throws INVALID_INPUT when one is not pending or being
 * written, NOT_EXPORTABLE when a certificate was revoked or expired meanwhile, KEY_NOT_KEPT, IO_ERROR from
 * the files, INTERNAL for a delivery with a slip or letter; on any error no delivery of the step is marked
 * delivered and none of its bundles is left behind (they stay pending).
 */
export async function deliverBundleStep(vault: Vault, items: StepDelivery[], opts: DeliverStepOptions): Promise<StepDelivered[]> {
  vault.requireUnlocked();
  const releases: (() => void)[] = [];
  try {
    const prepared = items.map((item) => {
      const p = prepare(vault, item);
      releases.push(claimDelivery(vault, item.id));
      return p;
    });
    const built = await buildAll(vault, prepared, opts);
    await opts.io?.turn?.();
    const sink = opts.io?.sink ?? nodeFileSink;
    const written = await writeBundles(opts.outDir, built, sink);
    try {
      await opts.appendAfter;
      opts.list.appendAll(prepared.map((p, i): PasswordLine => ({ holder: p.holder, alias: p.alias, file: `${basename(written[i]!.folder)}/${pfxFileOf(summaryOf(p, written[i]!, built[i]!))}`, password: p.password })));
      await opts.io?.turn?.();
      vault.transaction(() => prepared.forEach((p, i) => recordBundleExport(vault, p.d, p.row, summaryOf(p, written[i]!, built[i]!), opts.outDir, p.item.privateKeyPkcs8 === undefined)));
    } catch (e) {
      // Bundles the vault does not count as delivered would be keys on a stick whose passwords no one has: take them back.
      for (const w of written) sink.remove(w.folder);
      throw e;
    }
    return prepared.map((p, i) => ({ id: p.item.id, certificateId: p.row.id, folder: written[i]!.folder }));
  } finally {
    for (const release of releases) release();
  }
}

/** The delivery's checks, as deliverBundle makes them, and its new password. */
function prepare(vault: Vault, item: StepDelivery): Prepared {
  const d = requirePending(vault, item.id);
  if (d.kind !== 'bundle' || d.certificate_id === null) throw new CertDeskError('INTERNAL', `delivery ${item.id} is not a bundle delivery`, { id: item.id });
  if (d.slip_file !== null || d.letter_file !== null || d.passwords_file === null) {
    throw new CertDeskError('INTERNAL', `delivery ${item.id} sends its password elsewhere than a password list: deliver it on its own`, { id: item.id });
  }
  const row = getCheckedCertRow(vault, d.certificate_id);
  const record = toCertificateRecord(vault, row);
  checkExportable(row, record.status);
  const rule = row.profile_id ? getProfile(vault, row.profile_id).passwordRule : undefined;
  return { item, d, row, holder: record.holder, alias: record.alias, password: generatePassword(rule) };
}

/** Builds every bundle of the step on the workers at once; the keys opened here are zeroed however it ends. */
async function buildAll(vault: Vault, prepared: Prepared[], opts: DeliverStepOptions): Promise<BuiltBundle[]> {
  const settled = await Promise.allSettled(
    prepared.map(async (p) => {
      const own = p.item.privateKeyPkcs8 ? null : (openDeliveryKey(vault, p.d) ?? keptKeyOf(vault, p.row));
      try {
        const req = { outDir: opts.outDir, encryption: p.d.encryption ?? 'modern', password: p.password, privateKeyPkcs8: (p.item.privateKeyPkcs8 ?? own)!, deliveryId: p.d.id, devices: parseStoredDevices(p.d.devices) } as const;
        return await buildBundle(vault, p.row, req, opts.io, opts.shared);
      } finally {
        own?.fill(0);
      }
    }),
  );
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<BuiltBundle>).value);
}

function summaryOf(p: Prepared, written: WrittenBundle, built: BuiltBundle): ExportSummary {
  return { certificateId: p.row.id, folder: written.folder, files: written.files, encryption: p.d.encryption ?? 'modern', passwordGenerated: true, exportedAt: built.createdAt };
}

