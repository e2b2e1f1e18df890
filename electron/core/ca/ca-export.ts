// Saving a CA's certificate (PEM, DER .cer), its chain (PKCS#7 certs-only .p7b), or the CA with its private key
// (PKCS#12 .pfx). Every export is audited: "ca.export" for certificates, "ca.export-key" when the key leaves
// the vault (never the password).
import type { CaExportFormat, CaRecord, PfxEncryption } from '../../../shared/domain.js';
import { CA_EXPORT_FORMATS } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { buildP7b } from '../export/pkcs7.js';
import { checkPassword, DEFAULT_PASSWORD_RULE } from '../export/passwords.js';
import { writeFileAtomic } from '../files.js';
import { caChain } from '../issuance/cas.js';
import { checkedCertRow, getCaRow, resolveCa } from '../issuance/records.js';
import { toPem } from '../pki/pem.js';
import { isTokenReference, parseTokenReference } from '../pkcs11/token-ref.js';
import { sealedKeyBytes } from '../quorum/ca-key.js';
import { buildPfxOffThread } from '../workers/off-thread.js';
import type { Vault } from '../vault/vault.js';

export interface CaExportRequest {
  format: CaExportFormat;
  /** The file to write (replaced atomically). */
  out: string;
  /** PFX only: the password protecting the file, checked against the default password rule (12+ characters, 3 groups). */
  password?: string;
  /** PFX only: 'modern' (AES-256, PBKDF2; the default) or 'legacy' (3DES/SHA-1 for older Windows and appliances). */
  encryption?: PfxEncryption;
}

export interface CaExportResult {
  ca: string;
  format: CaExportFormat;
  file: string;
  /** How many certificates the file holds (the chain for p7b and pfx). */
  certificates: number;
  /** True when the file carries the CA's private key (pfx). */
  withKey: boolean;
}

/**
 * Writes CA `ref` (id or name) to `req.out` in `req.format`: 'pem' (the CA certificate, RFC 7468), 'der' (the
 * same as DER, for a .cer), 'p7b' (the CA and its issuers up to the root as a certs-only SignedData, RFC 5652
 * 5.1 / RFC 2315), 'pfx' (PKCS#12, RFC 7292: the key, the CA certificate and its issuers; mode 0600). Throws
 * CA_NOT_FOUND, VAULT_TAMPERED, INVALID_INPUT (format, password rule), CA_KEY_MISSING (pfx of a CA without
 * its key in the vault), IO_ERROR. A retired, revoked or expired CA is exported too (a backup, a trust store).
 */
export async function exportCaFile(vault: Vault, ref: string, req: CaExportRequest): Promise<CaExportResult> {
  vault.requireUnlocked();
  if (!(CA_EXPORT_FORMATS as readonly string[]).includes(req.format)) {
    throw new CertDeskError('INVALID_INPUT', `format: "${String(req.format)}" is not one of ${CA_EXPORT_FORMATS.join(', ')}`, { field: 'format' });
  }
  const ca = resolveCa(vault, ref);
  const chain = caChain(vault, ca).map((c) => new Uint8Array(c.rawData));
  if (req.format === 'pfx') return exportWithKey(vault, ca, chain, req);
  if (req.password !== undefined) throw new CertDeskError('INVALID_INPUT', `password: only a pfx export takes a password; ${req.format} holds no key`, { field: 'password' });
  const data = req.format === 'pem' ? toPem(chain[0]!) : req.format === 'der' ? chain[0]! : buildP7b(chain);
  const certificates = req.format === 'p7b' ? chain.length : 1;
  writeFileAtomic(req.out, data, 0o644);
  vault.audit('ca.export', `ca:${ca.id}`, { ca: ca.name, format: req.format, file: req.out, certificates, serial: ca.serial });
  return { ca: ca.name, format: req.format, file: req.out, certificates, withKey: false };
}

async function exportWithKey(vault: Vault, ca: CaRecord, chain: Uint8Array[], req: CaExportRequest): Promise<CaExportResult> {
  const encryption = req.encryption ?? 'modern';
  if (encryption !== 'modern' && encryption !== 'legacy') throw new CertDeskError('INVALID_INPUT', `encryption: "${String(encryption)}" is not modern or legacy`, { field: 'encryption' });
  const cert = checkedCertRow(vault, ca.certificateId, getCaRow(vault, ca.id)!);
  if (!cert.key_id) throw new CertDeskError('CA_KEY_MISSING', `CA "${ca.name}" has no private key in this vault: export its certificate (pem, der or p7b) instead`, { ca: ca.name });
  // A key on a PKCS#11 token (issue 15): refused before anything else.
  checkKeyExportable(vault, ca);
  const pkcs8 = vault.loadKey(cert.key_id);
  try {
    if (req.password === undefined) throw new CertDeskError('INVALID_INPUT', 'password: a PFX with a CA key needs a password', { field: 'password' });
    checkPassword(req.password, DEFAULT_PASSWORD_RULE, 'password');
    // On a worker thread: the RFC 7292 KDF behind the MAC is pure JavaScript (workers/off-thread.ts).
    const pfx = await buildPfxOffThread({ privateKeyPkcs8: pkcs8, certificate: chain[0]!, chain: chain.slice(1), password: req.password, encryption, friendlyName: ca.name });
    // Only the officer reads it: the key file is not left readable by other accounts.
    writeFileAtomic(req.out, pfx, 0o600);
  } finally {
    pkcs8.fill(0);
  }
  vault.audit('ca.export-key', `ca:${ca.id}`, { ca: ca.name, format: 'pfx', file: req.out, encryption, certificates: chain.length, serial: ca.serial });
  return { ca: ca.name, format: 'pfx', file: req.out, certificates: chain.length, withKey: true };
}

/**
 * CA_KEY_NOT_EXPORTABLE { ca, token } when CA `ca`'s key lives on a PKCS#11 token (issue 15): the vault holds
 * only where it is, and the token never lets it out. The CLI asks this before it asks for a PFX password.
 */
export function checkKeyExportable(vault: Vault, ca: CaRecord): void {
  const cert = checkedCertRow(vault, ca.certificateId, getCaRow(vault, ca.id)!);
  if (!cert.key_id) return;
  // The sealed bytes as they are (not through loadKey's quorum hook): a PKCS#8, a quorum envelope or a token reference.
  const sealed = sealedKeyBytes(vault, cert.key_id);
  if (!isTokenReference(sealed)) {
    sealed.fill(0);
    return;
  }
  const ref = parseTokenReference(sealed, cert.key_id);
  throw new CertDeskError('CA_KEY_NOT_EXPORTABLE', `CA "${ca.name}" has its key on token "${ref.token}", which never lets it out: export its certificate (pem, der or p7b) instead`, { ca: ca.name, token: ref.token });
}

/** What the CLI prints and the app's confirmation dialog says before a CA key leaves the vault. */
export function keyExportWarning(caName: string): string {
  return `The private key of CA "${caName}" leaves the vault: whoever has the PFX file and its password can sign certificates that every device trusting this CA accepts. Keep the file offline and delete it when it has served its purpose.`;
}
