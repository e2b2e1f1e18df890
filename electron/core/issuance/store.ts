// Writes a certificate row. Callers run it inside the transaction that also stores the key and the audit entry.
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
}

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
  const info = vault.db
    .prepare(
      `INSERT INTO certificates (kind, issuer_ca_id, issuer_dn, serial, subject, holder, sans, profile_id, recipient_id, source, status,
         status_changed_at, issued_at, not_before, not_after, alias, auto_renew, key_type, key_id, sha1, sha256, der)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      n.kind,
      n.issuerCaId,
      issuerDn,
      serial,
      dnFromName(n.cert.subjectName),
      n.holder,
      JSON.stringify(n.sans),
      n.profile,
      n.recipientId,
      n.source,
      now,
      now,
      n.cert.notBefore.toISOString(),
      n.cert.notAfter.toISOString(),
      n.alias,
      n.autoRenew ? 1 : 0,
      n.keyType,
      n.keyId,
      sha1,
      sha256,
      der,
    );
  return Number(info.lastInsertRowid);
}
