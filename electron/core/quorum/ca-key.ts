// A CA's sealed key as the quorum code sees it: its keys row (checked), the SHA-256 of its public key, and its
// quorum envelope when it has one. Reads the vault's seal directly (Vault.openSecret with the key row's AAD),
// so it never goes through loadKey's quorum hook.
import { createHash } from 'node:crypto';
import type { CaRecord } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { checkedCertRow, getCaRow, resolveCa } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { isEnvelope, parseEnvelope, type Envelope } from './envelope.js';

export interface CaKey {
  ca: CaRecord;
  keyId: string;
  /** SHA-256 (hex) of the key's SubjectPublicKeyInfo as the vault binds it. */
  spkiSha256: string;
  /** The quorum envelope, or null for a key not under K-of-N control. */
  envelope: Envelope | null;
}

/** The CA's key. CA_KEY_MISSING when the vault holds no key for it; VAULT_TAMPERED when a record was changed. */
export function caKeyOf(vault: Vault, ca: CaRecord): CaKey {
  const caRow = getCaRow(vault, ca.id);
  if (!caRow) throw new CertDeskError('CA_NOT_FOUND', `no CA "${ca.name}"`, { ref: ca.name });
  vault.records.check('cas', caRow);
  const cert = checkedCertRow(vault, caRow.certificate_id, caRow);
  if (!cert.key_id) throw new CertDeskError('CA_KEY_MISSING', `CA "${ca.name}" has no private key in this vault`, { ca: ca.name });
  const plain = sealedKeyBytes(vault, cert.key_id);
  try {
    const row = vault.records.read('keys', { id: cert.key_id })!;
    const spkiSha256 = createHash('sha256').update(row.spki as Buffer).digest('hex');
    return { ca, keyId: cert.key_id, spkiSha256, envelope: isEnvelope(plain) ? parseEnvelope(plain, cert.key_id) : null };
  } finally {
    if (!isEnvelope(plain)) plain.fill(0); // a bare PKCS#8: not kept
  }
}

/** The key row's vault-sealed plaintext (a PKCS#8 or a quorum envelope); the caller zeroes a PKCS#8. */
export function sealedKeyBytes(vault: Vault, keyId: string): Uint8Array {
  const row = vault.records.read('keys', { id: keyId });
  if (!row) throw new CertDeskError('VAULT_TAMPERED', `private key ${keyId} is missing from the vault: the vault was changed outside CertDesk`, { table: 'keys', record: { id: keyId } });
  vault.records.check('keys', row);
  return vault.openSecret({ nonce: row.nonce as Buffer, ciphertext: row.ciphertext as Buffer }, `key:${keyId}`);
}

/** Replaces the key row's sealed plaintext (MACed through vault.records). Call inside the transaction that audits it. */
export function resealKey(vault: Vault, keyId: string, plaintext: Uint8Array): void {
  const sealed = vault.sealSecret(plaintext, `key:${keyId}`);
  vault.records.update('keys', { id: keyId }, { nonce: sealed.nonce, ciphertext: sealed.ciphertext });
}

/** The CA and key a quorum key's share files name (EnvelopeHeader.sharesOf, else its own). */
export function shareOrigin(key: CaKey): { caId: number; spkiSha256: string } {
  return key.envelope?.header.sharesOf ?? { caId: key.ca.id, spkiSha256: key.spkiSha256 };
}

/**
 * Every CA key in the vault sealed in split `splitId` whose shares name `origin`: a CA and the successors it was
 * renewed into with a new key (one Q opens them all). CAs without a key in the vault are skipped.
 * @throws CertDeskError VAULT_TAMPERED when a record was changed
 */
export function keysOfSplit(vault: Vault, splitId: string, origin: { caId: number; spkiSha256: string }): CaKey[] {
  const ids = vault.db.prepare('SELECT id FROM cas ORDER BY id').all() as { id: number }[];
  const keys: CaKey[] = [];
  for (const { id } of ids) {
    let key: CaKey;
    try {
      key = caKeyOf(vault, resolveCa(vault, String(id)));
    } catch (e) {
      if (e instanceof CertDeskError && e.code === 'CA_KEY_MISSING') continue;
      throw e;
    }
    const o = shareOrigin(key);
    if (key.envelope?.header.splitId === splitId && o.caId === origin.caId && o.spkiSha256 === origin.spkiSha256) keys.push(key);
  }
  return keys;
}
