// Writes a certificate row, authenticated (vault/record-store.ts). Callers run it inside the transaction that
// also stores the key and the audit entry.
import type { CertKind, CertSource, KeyType, ProfileId, San } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { thumbprints } from '../pki/certificates.js';
import { dnFromName } from '../pki/names.js';
import type { x509 } from '../pki/provider.js';
import type { Vault } from '../vault/vault.js';

export interface NewCertificate {
  cert: x509.X509Certificate;
  kind: CertKind;
  issuerCaId: number | null;
  holder: string;
  sans: San[];
  profile: ProfileId | null;
  recipientId: number | null;
  source: CertSource;
  alias: string | null;
  autoRenew: boolean;
  keyType: KeyType;
  keyId: string | null;
  /** The certificate this one renews. */
  renewedFrom?: number | null;
}

/** Inserts the certificate and returns its id. DUPLICATE_SERIAL when its issuer already used the serial. */
export function insertCertificate(vault: Vault, n: NewCertificate): number {
  const der = Buffer.from(n.cert.rawData);
  const { sha1, sha256 } = thumbprints(der);
  const issuerDn = dnFromName(n.cert.issuerName);
  const serial = n.cert.serialNumber.toLowerCase();
  const clash = vault.db.prepare('SELECT id, sha256 FROM certificates WHERE issuer_dn = ? AND serial = ?').get(issuerDn, serial) as
    | { id: number; sha256: string }
    | undefined;
  if (clash) {
    const what = clash.sha256 === sha256 ? 'this certificate is already in the vault' : 'another certificate from the same issuer has this serial';
    throw new CertDeskError('DUPLICATE_SERIAL', `serial ${serial} of ${issuerDn}: ${what} (id ${clash.id})`, { serial, existingId: clash.id });
  }
  const now = vault.now().toISOString();
  const row = vault.records.insert('certificates', {
    kind: n.kind,
    issuer_ca_id: n.issuerCaId,
    issuer_dn: issuerDn,
    serial,
    subject: dnFromName(n.cert.subjectName),
    holder: n.holder,
    sans: JSON.stringify(n.sans),
    profile_id: n.profile,
    recipient_id: n.recipientId,
    source: n.source,
    status: 'valid',
    status_changed_at: now,
    issued_at: now,
    not_before: n.cert.notBefore.toISOString(),
    not_after: n.cert.notAfter.toISOString(),
    alias: n.alias,
    auto_renew: n.autoRenew ? 1 : 0,
    key_type: n.keyType,
    key_id: n.keyId,
    sha1,
    sha256,
    der,
    renewed_from: n.renewedFrom ?? null,
  });
  return row.id as number;
}
