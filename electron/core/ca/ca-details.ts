// A CA certificate's details and extensions: `certdesk ca show`, channel ca.get (the Authorities details panel).
import type { CaDetails, KeyUsageName } from '../../../shared/domain.js';
import { KEY_USAGES } from '../../../shared/domain.js';
import { describeExtensions } from '../pki/extensions.js';
import { pathLengthOf } from '../pki/der-integer.js';
import { dnFromName } from '../pki/names.js';
import { toPem } from '../pki/pem.js';
import { x509 } from '../pki/provider.js';
import { caTokenKeyOf } from '../pkcs11/ca-token-view.js';
import { checkedCertRow, effectiveStatus, getCaRow, resolveCa, type CertRow } from '../issuance/records.js';
import type { Vault } from '../vault/vault.js';
import { caStanding } from './ca-state.js';

const hex = (buf: ArrayBuffer | string): string => (typeof buf === 'string' ? buf.toLowerCase() : Buffer.from(buf).toString('hex'));

/**
 * The details of CA `ref` (its id or name): the CaRecord, its standing (ca-state.ts), issuer, SKI/AKI,
 * basicConstraints with pathLen, keyUsage, CRL distribution points, every extension as text (RFC 5280 4.2),
 * earlier same-key certificates, where the key is when it is on a token, and the PEM. Throws CA_NOT_FOUND, VAULT_TAMPERED (records checked by resolveCa).
 */
export function showCa(vault: Vault, ref: string): CaDetails {
  vault.requireUnlocked();
  const ca = resolveCa(vault, ref);
  const cert = checkedCertRow(vault, ca.certificateId, getCaRow(vault, ca.id)!);
  const x = new x509.X509Certificate(cert.der);
  const ski = x.getExtension(x509.SubjectKeyIdentifierExtension);
  const aki = x.getExtension(x509.AuthorityKeyIdentifierExtension);
  const bc = x.getExtension(x509.BasicConstraintsExtension);
  const ku = x.getExtension(x509.KeyUsagesExtension);
  const cdp = x.getExtension(x509.CRLDistributionPointsExtension);
  const issuerCa = cert.issuer_ca_id === null ? undefined : getCaRow(vault, cert.issuer_ca_id);
  return {
    ca,
    ...caStanding(vault, ca, cert),
    issuer: dnFromName(x.issuerName),
    issuerCaName: issuerCa?.name ?? null,
    subjectKeyId: ski ? hex(ski.keyId) : null,
    authorityKeyId: aki?.keyId ? hex(aki.keyId) : null,
    basicConstraints: bc ? { ca: bc.ca, pathLength: bc.pathLength === undefined ? null : pathLengthOf(bc.pathLength, 'certificate'), critical: bc.critical } : null,
    keyUsage: ku ? KEY_USAGES.filter((name: KeyUsageName) => (ku.usages & x509.KeyUsageFlags[name]) !== 0) : [],
    crlDistributionPoints: cdp ? Array.from(cdp.distributionPoints).flatMap((dp) => (dp.distributionPoint?.fullName ?? []).flatMap((gn) => (gn.uniformResourceIdentifier ? [gn.uniformResourceIdentifier] : []))) : [],
    extensions: Array.from(describeExtensions(new Uint8Array(cert.der))),
    revokedAt: cert.revoked_at,
    revocationReason: cert.revocation_reason,
    earlierCertificates: earlierCertificates(vault, cert),
    tokenKey: cert.key_id ? caTokenKeyOf(vault, cert.key_id) : null,
    pem: toPem(new Uint8Array(cert.der)),
  };
}

/** The certificates this one renewed with the same key (renewed_from links, same key), newest first, each checked. */
function earlierCertificates(vault: Vault, cert: CertRow): CaDetails['earlierCertificates'] {
  const out: CaDetails['earlierCertificates'] = [];
  let from = cert.renewed_from;
  const seen = new Set<number>([cert.id]);
  while (from !== null && !seen.has(from)) {
    seen.add(from);
    const row = vault.db.prepare('SELECT * FROM certificates WHERE id = ?').get(from) as CertRow | undefined;
    if (!row || row.key_id !== cert.key_id) break;
    vault.records.check('certificates', row);
    out.push({ id: row.id, serial: row.serial, notBefore: row.not_before, notAfter: row.not_after, status: effectiveStatus(row, vault.now()).status });
    from = row.renewed_from;
  }
  return out;
}
