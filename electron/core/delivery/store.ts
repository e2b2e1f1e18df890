// The deliveries table (schema version 5): what an operation still has to write after its commit. A row is
// recorded in the transaction of the commit it belongs to (as a batch's resume marker is), and finished
// (delivered or abandoned) in the transaction that records the outcome. A private key the vault does not keep
// waits here sealed and is wiped when the row is finished. No password is ever stored.
import { resolve } from 'node:path';
import type { PfxEncryption } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import type { DeliveryKind, DeliveryOperation } from '../../../shared/pending.js';
import { getCertRow, getProfile } from '../issuance/records.js';
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
  const info = vault.db
    .prepare(
      `INSERT INTO deliveries (kind, operation, certificate_id, target, encryption, password_set, passwords_file, slip_file, letter_file, batch_id, row_key, created_at)
       VALUES ('bundle', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      spec.operation,
      cert.id,
      resolve(spec.outDir),
      encryption,
      spec.passwordSet ? 1 : 0,
      abs(spec.sinks?.passwordsFile),
      abs(spec.sinks?.slip),
      abs(spec.sinks?.letter),
      spec.batch?.batchId ?? null,
      spec.batch?.rowKey ?? null,
      vault.now().toISOString(),
    );
  const id = Number(info.lastInsertRowid);
  if (cert.key_id === null && spec.privateKeyPkcs8) {
    const sealed = vault.sealSecret(spec.privateKeyPkcs8, keyAad(id));
    vault.db.prepare('UPDATE deliveries SET key_nonce = ?, key_ciphertext = ? WHERE id = ?').run(sealed.nonce, sealed.ciphertext, id);
  }
  return id;
}

/** Records a pending PEM file of a certificate (issue --out FILE). Call it inside the issuing transaction. */
export function recordPemDelivery(vault: Vault, operation: 'issue', certificateId: number, file: string): number {
  const info = vault.db
    .prepare(`INSERT INTO deliveries (kind, operation, certificate_id, target, created_at) VALUES ('pem', ?, ?, ?, ?)`)
    .run(operation, certificateId, resolve(file), vault.now().toISOString());
  return Number(info.lastInsertRowid);
}

/**
 * Adds a signed CRL to a "crl publish" delivery, creating the delivery on the first one (id null), and returns
 * its id. Call it inside the transaction that commits the CRL number.
 */
export function recordCrlSigned(vault: Vault, id: number | null, folder: string, crl: SignedCrlRef): number {
  if (id === null) {
    const info = vault.db
      .prepare(`INSERT INTO deliveries (kind, operation, target, details, created_at) VALUES ('crls', 'crl.publish', ?, ?, ?)`)
      .run(resolve(folder), JSON.stringify({ crls: [crl] }), vault.now().toISOString());
    return Number(info.lastInsertRowid);
  }
  const row = requireDelivery(vault, id);
  const details = JSON.parse(row.details) as { crls: SignedCrlRef[] };
  details.crls.push(crl);
  vault.db.prepare('UPDATE deliveries SET details = ? WHERE id = ?').run(JSON.stringify(details), id);
  return id;
}

/** The delivery's row, or undefined. */
export function getDelivery(vault: Vault, id: number): DeliveryRow | undefined {
  return vault.db.prepare('SELECT * FROM deliveries WHERE id = ?').get(id) as DeliveryRow | undefined;
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

/** Every pending delivery, oldest first. */
export function pendingRows(vault: Vault): DeliveryRow[] {
  return vault.db.prepare(`SELECT * FROM deliveries WHERE state = 'pending' ORDER BY id`).all() as DeliveryRow[];
}

/** The pending bundle delivery of a certificate, if any (the newest). */
export function pendingBundleOf(vault: Vault, certificateId: number): DeliveryRow | undefined {
  return vault.db
    .prepare(`SELECT * FROM deliveries WHERE state = 'pending' AND kind = 'bundle' AND certificate_id = ? ORDER BY id DESC LIMIT 1`)
    .get(certificateId) as DeliveryRow | undefined;
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
  vault.db
    .prepare(
      `UPDATE deliveries SET state = ?, finished_at = ?, folder = coalesce(?, folder), outcome = ?, target = coalesce(?, target), key_nonce = NULL, key_ciphertext = NULL
       WHERE id = ? AND state = 'pending'`,
    )
    .run(state, vault.now().toISOString(), facts.folder ?? null, facts.outcome ?? null, facts.target ? resolve(facts.target) : null, id);
}
