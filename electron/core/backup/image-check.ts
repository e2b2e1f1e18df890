// The checks a vault image gets before it is written into a backup and after it is read out of one: it opens
// as a CertDesk vault with the passphrase (in memory, read-only), and "vault verify" finds nothing.
import { CertDeskError } from '../../../shared/errors.js';
import type { VaultVerification } from '../../../shared/domain.js';
import { verificationLines, verifyVault } from '../vault/vault-verify.js';
import { Vault, type VaultOptions } from '../vault/vault.js';
import type { KdfParams } from '../vault/vault-crypto.js';
import { vaultCounts, type VaultCounts } from './snapshot.js';

export interface CheckedImage {
  schema: number;
  /** meta created_at of the vault, or null. */
  vaultCreatedAt: string | null;
  counts: VaultCounts;
  /** The vault's own KDF cost (from its wrapped key), for the backup's passphrase wrap. */
  kdfCost: Omit<KdfParams, 'salt'>;
  verification: VaultVerification;
}

/**
 * Opens `image` as a vault in memory with `passphrase` (Vault.fromImage) and runs the vault's own verification
 * on it (vault-verify.ts: audit chain, record MACs, record sets, revoked sets).
 * @param label how messages name the image ("the vault in backup FILE")
 * @throws CertDeskError what Vault.fromImage throws (VAULT_CORRUPT, VAULT_TOO_NEW, VAULT_TAMPERED,
 *   VAULT_WRONG_PASSPHRASE); VAULT_TAMPERED "LABEL does not verify: N problem(s): …" naming each problem
 */
export async function checkImage(image: Buffer, label: string, passphrase: string, opts: VaultOptions = {}): Promise<CheckedImage> {
  const vault = await Vault.fromImage(image, label, passphrase, opts);
  try {
    const verification = verifyVault(vault);
    if (!verification.ok) {
      const lines = verificationLines(verification);
      throw new CertDeskError('VAULT_TAMPERED', `${label} does not verify: ${lines.length} problem${lines.length === 1 ? '' : 's'}: ${lines.join('; ')}`, { path: label, problems: lines });
    }
    const meta = (key: string) => (vault.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
    const { N, r, p } = (JSON.parse(meta('vault_key')!) as { kdf: KdfParams }).kdf;
    return { schema: vault.schemaVersion(), vaultCreatedAt: meta('created_at') ?? null, counts: vaultCounts(vault.db), kdfCost: { alg: 'scrypt', N, r, p }, verification };
  } finally {
    vault.close();
  }
}
