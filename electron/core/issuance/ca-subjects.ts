// A certificate CertDesk signs never carries the name of one of the vault's CAs: a relying party that looks a
// certificate's issuer up by name could take it for that CA (RFC 5280 4.1.2.4, 4.1.2.6 and 6.1).
import { CertDeskError } from '../../../shared/errors.js';
import type { Vault } from '../vault/vault.js';

/**
 * The form in which two names compare: RFC 4518 caseIgnoreMatch, roughly (NFKC, case folded, spaces collapsed),
 * and regardless of the order of their RDNs: "CN=Users CA,O=Example" and "O=Example,CN=Users CA" are different
 * X.509 names, but Windows and most viewers show both as "Users CA" issued by that CA, so both are refused.
 */
function comparable(dn: string): string {
  const folded = dn.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
  // RDNs are separated by commas that are not escaped (RFC 4514 2.4: "\\," stays inside a value).
  return folded
    .split(/(?<!\\),/)
    .map((rdn) => rdn.trim())
    .sort()
    .join('\n');
}

/**
 * Refuses `subject` (an RFC 4514 string as names.ts dnFromName/formatDn write it) when it names a CA in the
 * vault, compared case- and space-insensitively and in any RDN order. `exceptCaId` is a CA that may keep its own name (none for an
 * end-entity certificate). Throws CertDeskError INVALID_NAME whose message starts with `field` and names the CA.
 */
export function refuseCaSubject(vault: Vault, subject: string, field: string, exceptCaId: number | null = null): void {
  if (subject === '') return;
  const rows = vault.db.prepare('SELECT cas.id AS id, cas.name AS name, c.subject AS subject FROM cas JOIN certificates c ON c.id = cas.certificate_id').all() as {
    id: number;
    name: string;
    subject: string;
  }[];
  const wanted = comparable(subject);
  const clash = rows.find((r) => r.id !== exceptCaId && comparable(r.subject) === wanted);
  if (clash) {
    throw new CertDeskError('INVALID_NAME', `${field}: "${subject}" is the subject of CA "${clash.name}"; a certificate may not carry a CA's name`, {
      field,
      ca: clash.name,
    });
  }
}
