// The deliveries table (schema version 5): what an operation still has to write after its commit. A row is
// recorded in the transaction of the commit it belongs to (as a batch's resume marker is), and finished
// (delivered or abandoned) in the transaction that records the outcome. A private key the vault does not keep
// waits here sealed and is wiped when the row is finished. No password is ever stored.
import { resolve } from 'node:path';
import type { DeviceId } from '../../../shared/devices.js';
import type { PfxEncryption } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import type { DeliveryKind, DeliveryOperation } from '../../../shared/pending.js';
import { getCertRow, getProfile } from '../issuance/records.js';
import type { Row } from '../vault/record-specs.js';
import type { Vault } from '../vault/vault.js';

export interface DeliveryRow {
  id: number;
  kind: DeliveryKind;
  operation: DeliveryOperation;
  state: 'pending' | 'delivered' | 'abandoned';
  certificate_id: number | null;
  target: string;
  encryption: PfxEncryption | null;
  password_set: number;
  passwords_file: string | null;
  slip_file: string | null;
  letter_file: string | null;
  batch_id: string | null;
  row_key: string | null;
  details: string;
  key_nonce: Buffer | null;
  key_ciphertext: Buffer | null;
  folder: string | null;
  created_at: string;
  finished_at: string | null;
  outcome: string | null;
  /** The devices the bundle was made for, a JSON array of shared/devices.ts ids (schema 10; not MACed, see schema.ts V10), or null. */
  devices?: string | null;
}

/** Files besides the screen that receive a bundle's password. Paths are made absolute when recorded. */
export interface PasswordSinks {
  /** A password list (CSV: holder, alias, file, password), appended to. */
  passwordsFile?: string;
  /** A printable hand-over slip with the password and its QR code. */
  slip?: string;
  /** A letter from the vault's template. */
  letter?: string;
}

export interface BundleDeliverySpec {
  operation: Exclude<DeliveryOperation, 'crl.publish'>;
  certificateId: number;
  /** The folder the bundle folder is made in. */
  outDir: string;
  /** Default: the certificate's profile's PFX encryption. */
  encryption?: PfxEncryption;
  /** The devices that will install the bundle (shared/devices.ts), remembered for the next renewal or export; the caller derived `encryption` from them. */
  devices?: readonly DeviceId[] | null;
  /** The officer set the password for the first attempt. */
  passwordSet: boolean;
  sinks?: PasswordSinks;
  batch?: { batchId: string; rowKey: string };
  /** The certificate's private key: sealed into the row when the vault does not keep it, so a resumed delivery can still make the PFX. */
  privateKeyPkcs8?: Uint8Array;
}

/** One CRL signed for a "crl publish" delivery. */
export interface SignedCrlRef {
  caId: number;
  crlNumber: number;
}

const abs = (p: string | undefined | null): string | null => (p ? resolve(p) : null);
const keyAad = (id: number) => `delivery-key:${id}`;

/**
 * Records a pending bundle delivery and returns its id. Call it inside the transaction that commits the
 * certificate (or, for an export, on its own): the certificate row must exist. The key is sealed under the
 * vault key only when the certificate has no key kept in the vault.
 */
export function recordBundleDelivery(vault: Vault, spec: BundleDeliverySpec): number {
  const cert = getCertRow(vault, spec.certificateId);
  if (!cert) throw new CertDeskError('CERT_NOT_FOUND', `no certificate ${spec.certificateId}`, { id: spec.certificateId });
  const encryption = spec.encryption ?? (cert.profile_id ? getProfile(vault, cert.profile_id).pfxEncryption : 'modern');
  const row = vault.records.insert('deliveries', {
    kind: 'bundle',
    operation: spec.operation,
    certificate_id: cert.id,
    target: resolve(spec.outDir),
    encryption,
    password_set: spec.passwordSet ? 1 : 0,
    passwords_file: abs(spec.sinks?.passwordsFile),
    slip_file: abs(spec.sinks?.slip),
    letter_file: abs(spec.sinks?.letter),
    batch_id: spec.batch?.batchId ?? null,
    row_key: spec.batch?.rowKey ?? null,
    devices: spec.devices && spec.devices.length ? JSON.stringify(spec.devices) : null,
    created_at: vault.now().toISOString(),
  });
  const id = Number(row.id);
  if (cert.key_id === null && spec.privateKeyPkcs8) {
    const sealed = vault.sealSecret(spec.privateKeyPkcs8, keyAad(id));
    vault.records.update('deliveries', { id }, { key_nonce: sealed.nonce, key_ciphertext: sealed.ciphertext });
  }
  return id;
}

/**
 * Records a pending PEM file of a certificate (issue --out FILE, sign-csr --out FILE, the CSR screen), with its
 * issuing CA chain after it when `withChain` (details {"chain":true}). Call it inside the issuing transaction.
 */
export function recordPemDelivery(vault: Vault, operation: 'issue', certificateId: number, file: string, withChain = false): number {
  const row = vault.records.insert('deliveries', {
    kind: 'pem',
    operation,
    certificate_id: certificateId,
    target: resolve(file),
    details: JSON.stringify(withChain ? { chain: true } : {}),
    created_at: vault.now().toISOString(),
  });
  return Number(row.id);
}

/**
 * Adds a signed CRL to a "crl publish" delivery, creating the delivery on the first one (id null), and returns
 * its id. Call it inside the transaction that commits the CRL number.
 */
export function recordCrlSigned(vault: Vault, id: number | null, folder: string, crl: SignedCrlRef): number {
  if (id === null) {
    const row = vault.records.insert('deliveries', {
      kind: 'crls',
      operation: 'crl.publish',
      target: resolve(folder),
      details: JSON.stringify({ crls: [crl] }),
      created_at: vault.now().toISOString(),
    });
    return Number(row.id);
  }
  const row = requireDelivery(vault, id);
  const details = JSON.parse(row.details) as { crls: SignedCrlRef[] };
  details.crls.push(crl);
  vault.records.update('deliveries', { id }, { details: JSON.stringify(details) });
  return id;
}

/**
 * Checks a delivery row read to act on: VAULT_TAMPERED naming it when its MAC does not hold (written or changed
 * outside CertDesk, or recorded at schema 5 before deliveries carried MACs). Such a row is never acted on: the
 * officer abandons it, which only removes it.
 */
export function checkDelivery(vault: Vault, row: DeliveryRow): DeliveryRow {
  try {
    const checked = vault.records.check('deliveries', row);
    // The rows are the set CertDesk last wrote: a delivery put back from an older backup (its MAC once valid,
    // delivered or withdrawn since) would hand a bundle out again, so it is refused like an edited one.
    vault.records.checkSet('deliveries');
    return checked;
  } catch (e) {
    if (e instanceof CertDeskError && e.code === 'VAULT_TAMPERED') {
      throw new CertDeskError(
        'VAULT_TAMPERED',
        `${e.message} Nothing is written for it: give it up with "certdesk pending abandon ${row.id}" (it is only removed).`,
        { ...e.details, delivery: row.id },
      );
    }
    throw e;
  }
}

/** Whether the delivery row's MAC holds. */
export function deliveryHolds(vault: Vault, row: DeliveryRow): boolean {
  return vault.records.holds('deliveries', row as unknown as Row);
}

/** The delivery's row as stored, unchecked (for abandoning it), or undefined. */
export function rawDelivery(vault: Vault, id: number): DeliveryRow | undefined {
  return vault.db.prepare('SELECT * FROM deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
}

/** The delivery's row (checked: VAULT_TAMPERED when its MAC does not hold), or undefined. */
export function getDelivery(vault: Vault, id: number): DeliveryRow | undefined {
  const row = rawDelivery(vault, id);
  return row && checkDelivery(vault, row);
}

/** The delivery; INVALID_INPUT naming the id when there is none. */
export function requireDelivery(vault: Vault, id: number): DeliveryRow {
  const row = getDelivery(vault, id);
  if (!row) throw new CertDeskError('INVALID_INPUT', `no delivery ${id} (run "certdesk pending" to list them)`, { id });
  return row;
}

/** The delivery if it is still pending; otherwise INVALID_INPUT saying when it was finished. */
export function requirePending(vault: Vault, id: number): DeliveryRow {
  const row = requireDelivery(vault, id);
  if (row.state !== 'pending') throw new CertDeskError('INVALID_INPUT', `delivery ${id} is not pending: it was ${row.state} on ${row.finished_at}`, { id });
  return row;
}

/** Every pending delivery, oldest first, checked (VAULT_TAMPERED naming the first whose MAC does not hold). */
export function pendingRows(vault: Vault): DeliveryRow[] {
  return uncheckedPendingRows(vault).map((r) => checkDelivery(vault, r));
}

/** Every row that says it is pending, oldest first, unchecked: check each before acting on it. */
export function uncheckedPendingRows(vault: Vault): DeliveryRow[] {
  return vault.db.prepare(`SELECT * FROM deliveries WHERE state = 'pending' ORDER BY id`).all() as DeliveryRow[];
}

/** The pending bundle delivery of a certificate, if any (the newest), checked. */
export function pendingBundleOf(vault: Vault, certificateId: number): DeliveryRow | undefined {
  const row = vault.db
    .prepare(`SELECT * FROM deliveries WHERE state = 'pending' AND kind = 'bundle' AND certificate_id = ? ORDER BY id DESC LIMIT 1`)
    .get(certificateId) as DeliveryRow | undefined;
  return row && checkDelivery(vault, row);
}

/** The private key sealed in the delivery, or null when it holds none (the vault keeps the key, or the caller does). */
export function openDeliveryKey(vault: Vault, row: DeliveryRow): Uint8Array | null {
  if (!row.key_nonce || !row.key_ciphertext) return null;
  return vault.openSecret({ nonce: row.key_nonce, ciphertext: row.key_ciphertext }, keyAad(row.id));
}

/**
 * Ends a delivery: delivered (with its bundle folder) or abandoned (with the reason), and wipes its sealed key.
 * Call it inside the transaction that records the outcome; a delivery that is no longer pending is left alone.
 */
export function finishDelivery(vault: Vault, id: number, state: 'delivered' | 'abandoned', facts: { folder?: string; outcome?: string; target?: string } = {}): void {
  const row = getDelivery(vault, id);
  if (!row || row.state !== 'pending') return;
  vault.records.update(
    'deliveries',
    { id },
    {
      state,
      finished_at: vault.now().toISOString(),
      folder: facts.folder ?? row.folder,
      outcome: facts.outcome ?? null,
      target: facts.target ? resolve(facts.target) : row.target,
      key_nonce: null,
      key_ciphertext: null,
    },
  );
}
