// Making one certificate's bundle folder: the files are built on a worker thread (bundle-content.ts), then
// written here through a hidden ".partial" folder that is renamed when complete (bundle-writer.ts). Nothing
// is recorded in the vault here: a delivery (core/delivery) decides when the bundle counts as handed out.
import type { DeviceId } from '../../../shared/devices.js';
import { wifiDomainOf } from '../preflight/wifi-domain.js';
import type { CertificateRecord, ExportSummary, PfxEncryption } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { caChain } from '../issuance/cas.js';
import { resolveCa, type CertRow } from '../issuance/records.js';
import { recipientMappingOf } from '../issuance/recipient-directory.js';
import type { Vault } from '../vault/vault.js';
import type { EnginePool } from '../workers/engine-pool.js';
import { buildBundleOffThread } from '../workers/off-thread.js';
import { nodeFileSink, type FileSink } from '../files.js';
import type { BundleFacts } from './bundle-content.js';
import { bundleFolderName } from './bundle-names.js';
import { chainFiles, type ChainFiles } from './chain-files.js';
import { writeBundle, type BundleToWrite, type WrittenBundle } from './bundle-writer.js';

export interface ExportResult {
  summary: ExportSummary;
  certificate: CertificateRecord;
  /** Shown once to the operator, printed on the hand-over slip or letter; never stored. */
  password: string;
  /** The bundle's install.html, for printing without reading it back from the stick. */
  installSheet: string;
}

/** How an export writes files and where it makes them: tests fill the disk, batches use worker threads of their own. */
export interface ExportIo {
  sink?: FileSink;
  /** The worker threads that build the PFX and the other files (bundle-content.ts); default the shared pool. */
  pool?: EnginePool;
  /** Awaited once the files are made, before they are written and recorded: a batch takes its turn on the event loop here (batch/turns.ts). */
  turn?: () => Promise<void>;
}

export interface MakeBundleRequest {
  outDir: string;
  encryption: PfxEncryption;
  password: string;
  /** DER PKCS#8; the caller zeroes it. */
  privateKeyPkcs8: Uint8Array;
  /** The delivery the bundle belongs to, written into manifest.json so an unfinished one can be recognised. */
  deliveryId: number;
  /** The devices the bundle is for (shared/devices.ts): the install sheet shows their steps first. */
  devices?: readonly DeviceId[] | null;
}

/** Refuses what is not handed out: CA certificates, revoked or expired ones (NOT_EXPORTABLE). */
export function checkExportable(row: CertRow, status: CertificateRecord['status']): void {
  if (row.kind === 'ca') throw new CertDeskError('NOT_EXPORTABLE', `certificate ${row.id} is a CA certificate: export CA certificates with "certdesk ca cert"`, { id: row.id });
  if (status !== 'valid') {
    throw new CertDeskError('NOT_EXPORTABLE', `certificate ${row.id} (${row.holder}) is ${status}: it is not handed out any more; renew or issue a new one`, { id: row.id });
  }
}

/** Throws KEY_NOT_KEPT, saying why, when the vault keeps no private key for the certificate. */
export function checkKeyKept(row: CertRow): asserts row is CertRow & { key_id: string } {
  if (!row.key_id) {
    const why = row.source === 'csr' ? 'it was signed from a CSR, so the key never left the device that made it' : 'its profile does not keep keys in the vault';
    throw new CertDeskError('KEY_NOT_KEPT', `certificate ${row.id} (${row.holder}) has no private key in the vault: ${why}. Export its certificate instead, or issue a new one.`, { id: row.id });
  }
}

/** The certificate's key as kept in the vault (see checkKeyKept). The caller zeroes it. */
export function keptKeyOf(vault: Vault, row: CertRow): Uint8Array {
  checkKeyKept(row);
  return vault.loadKey(row.key_id);
}

/**
 * What a batch computes once and hands to every bundle: by issuing CA, the chain (DER, nearest issuer first)
 * and the files made from it alone (chain-files.ts chainFiles: chain.pem, ca-thumbprints.txt, the root's
 * organization). Each CA's are made the first time it is asked for.
 */
export class BundleShared {
  private readonly byCa = new Map<number, { chain: Uint8Array[]; files: ChainFiles }>();

  /** The row's issuer's chain and chain files; null for a certificate no vault CA issued. Throws when a chain certificate cannot be parsed. */
  of(vault: Vault, row: Pick<CertRow, 'issuer_ca_id'>): { chain: Uint8Array[]; files: ChainFiles } | null {
    if (row.issuer_ca_id === null) return null;
    let got = this.byCa.get(row.issuer_ca_id);
    if (!got) {
      const chain = chainOf(vault, row);
      got = { chain, files: chainFiles(chain) };
      this.byCa.set(row.issuer_ca_id, got);
    }
    return got;
  }
}

/** The DER chain of the row's issuer, nearest first ([] for a certificate no vault CA issued). */
function chainOf(vault: Vault, row: Pick<CertRow, 'issuer_ca_id'>): Uint8Array[] {
  return row.issuer_ca_id === null ? [] : caChain(vault, resolveCa(vault, String(row.issuer_ca_id))).map((c) => new Uint8Array(c.rawData));
}

/** A bundle built but not written: its folder name, files and manifest (for writeBundles), its install sheet and time. */
export interface BuiltBundle extends BundleToWrite {
  installSheet: string;
  createdAt: string;
}

/**
 * Builds the bundle's files off the main thread (on `io.pool`'s workers) and its manifest, without writing
 * anything: the caller writes it with writeBundle or, with other bundles, writeBundles. `shared` holds what
 * a batch computes once (the CA chain and its files); without it the worker makes them. Throws the PKCS#12
 * builder's errors.
 */
export async function buildBundle(vault: Vault, row: CertRow, req: MakeBundleRequest, io: ExportIo = {}, shared?: BundleShared): Promise<BuiltBundle> {
  const common = shared?.of(vault, row) ?? null;
  const chain = common?.chain ?? chainOf(vault, row);
  const leaf = new Uint8Array(row.der);
  const content = await buildBundleOffThread(
    {
      pfx: { privateKeyPkcs8: req.privateKeyPkcs8, certificate: leaf, chain, password: req.password, encryption: req.encryption, friendlyName: row.alias ?? row.holder },
      source: { facts: { ...bundleFacts(row), ...recipientMappingOf(vault, row.recipient_id) }, leaf, chain, encryption: req.encryption, wifiDomain: wifiDomainOf(vault, row), devices: req.devices ? [...req.devices] : null, ...(common ? { chainFiles: common.files } : {}) },
    },
    io.pool,
  );
  const createdAt = vault.now().toISOString();
  const manifest = {
    format: 'certdesk-bundle/1',
    createdAt,
    holder: row.holder,
    certificate: { id: row.id, serial: row.serial, sha256: row.sha256, notAfter: row.not_after, issuer: row.issuer_dn },
    pfxEncryption: req.encryption,
    delivery: req.deliveryId,
    note: 'The PFX password is not in this folder: it is handed over separately.',
  };
  return { folderName: bundleFolderName(row), entries: content.entries, manifest, installSheet: content.installSheet, createdAt };
}

/**
 * Builds the bundle's files off the main thread and writes the folder `bundleFolderName(row)` (or "-2", "-3"
 * beside an existing one) in `outDir`. Returns the folder, its files and the install sheet. Throws IO_ERROR
 * (nothing is left behind), or the PKCS#12 builder's errors.
 */
export async function makeBundle(vault: Vault, row: CertRow, req: MakeBundleRequest, io: ExportIo = {}): Promise<{ written: WrittenBundle; installSheet: string; createdAt: string }> {
  const built = await buildBundle(vault, row, req, io);
  await io.turn?.();
  const written = await writeBundle(req.outDir, built.folderName, built.entries, built.manifest, io.sink ?? nodeFileSink);
  return { written, installSheet: built.installSheet, createdAt: built.createdAt };
}

/** The row's text columns a bundle shows; its DER travels separately. */
function bundleFacts(row: CertRow): BundleFacts {
  const { holder, alias, subject, issuer_dn, serial, sha256, sha1, not_before, not_after, profile_id } = row;
  return { holder, alias, subject, issuer_dn, serial, sha256, sha1, not_before, not_after, profile_id };
}
