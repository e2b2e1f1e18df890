// A certificate CertDesk signs never carries the name of one of the vault's CAs: a relying party that looks a
// certificate's issuer up by name could take it for that CA (RFC 5280 4.1.2.4, 4.1.2.6 and 6.1).
import { CertDeskError } from '../../../shared/errors.js';
import type { Vault } from '../vault/vault.js';

/** The form in which two names compare: RFC 4518 caseIgnoreMatch, roughly (NFKC, case folded, spaces collapsed). */
function comparable(dn: string): string {
  return dn.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
}

/**
 * Refuses `subject` (an RFC 4514 string as names.ts dnFromName/formatDn write it) when it names a CA in the
 * vault, compared case- and space-insensitively. `exceptCaId` is a CA that may keep its own name (none for an
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
