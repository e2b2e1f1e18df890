// Many certificates quickly, for tests of large vaults: copies of one issued row, each with its own serial
// and thumbprint, written through the vault's record layer (so they carry MACs and count in the record
// sets) and, when asked, revoked the way CertDesk revokes (so their CA's revoked set holds them).
import { randomBytes } from 'node:crypto';
import type { RevocationReason } from '../../shared/domain.js';
import { revokeCertificates } from '../../electron/core/issuance/revocation.js';
import type { Vault } from '../../electron/core/vault/vault.js';

export interface CopyOptions {
  count: number;
  /** Column values per copy (holder, not_after, ...), on top of the template's. */
  vary?: (i: number) => Record<string, string | number | null>;
  /** Revoke every copy (in one call) for this reason. */
  revoke?: RevocationReason;
}

/** Inserts `count` copies of certificate `templateId` and returns their ids. */
export function copyCertificate(vault: Vault, templateId: number, opts: CopyOptions): number[] {
  const template = vault.db.prepare('SELECT * FROM certificates WHERE id = ?').get(templateId) as Record<string, string | number | Buffer | null>;
  const { id: _id, mac: _mac, ...values } = template;
  const ids = vault.transaction(() =>
    Array.from({ length: opts.count }, (_, i) => {
      const row = vault.records.insert('certificates', { ...values, serial: '7' + randomBytes(15).toString('hex'), sha256: randomBytes(32).toString('hex'), key_id: null, ...opts.vary?.(i) });
      return row.id as number;
    }),
  );
  if (opts.revoke) revokeCertificates(vault, ids.map(String), opts.revoke);
  return ids;
}
