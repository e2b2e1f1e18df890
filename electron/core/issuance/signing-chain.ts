// The check before every signature (issue, sign-csr, renew, batch, intermediate creation, CRL): the signing
// CA and every CA above it up to the root, each record authentic, none revoked, expired or not yet valid.
// A revoked CA (or one under a revoked CA) still signs its own CRL while a certificate it issued is
// unexpired, as RFC 5280 practice expects; an expired one signs nothing.
import type { CaRecord } from '../../../shared/domain.js';
import { CertDeskError } from '../../../shared/errors.js';
import { tamperedRecord, tamperedVault } from '../vault/record-store.js';
import type { Row } from '../vault/record-specs.js';
import { compareRevokedSet, type Revocation } from '../vault/revoked-sets.js';
import type { Vault } from '../vault/vault.js';
import { checkedCertRow, getCaRow, toCaRecord, type CaRow, type CertRow } from './records.js';

export type SignaturePurpose = 'certificate' | 'crl';

export interface ChainLink {
  ca: CaRow;
  cert: CertRow;
}

/** The CA and the CAs above it in the vault, up to the root, each CA record and certificate row checked (VAULT_TAMPERED otherwise). */
export function chainOf(vault: Vault, caId: number): ChainLink[] {
  const links: ChainLink[] = [];
  const seen = new Set<number>();
  let id: number | null = caId;
  let below: CertRow | null = null;
  while (id !== null) {
    if (seen.has(id)) throw tamperedRecord('certificates', below as unknown as Row, `names CA ${id} as its issuer, which is also below it`);
    seen.add(id);
    const ca = getCaRow(vault, id);
    if (!ca) {
      if (below) throw tamperedRecord('certificates', below as unknown as Row, `names CA ${id} as its issuer, which is missing`);
      throw new CertDeskError('CA_NOT_FOUND', `no CA ${id}`, { ref: id });
    }
    vault.records.check('cas', ca);
    const cert = checkedCertRow(vault, ca.certificate_id, ca);
    links.push({ ca, cert });
    below = cert;
    id = cert.issuer_ca_id;
  }
  return links;
}

export interface ChainCheckOptions {
  /**
   * Recompute the revoked set of every CA above the signing CA, so a CA certificate set back to "valid"
   * outside CertDesk is caught (default true). A batch checks this once before its first row.
   */
  revokedSets?: boolean;
}

/**
 * Checks the chain before a signature and returns the signing CA as its checked records say, and the chain.
 * Throws VAULT_TAMPERED when a record on the way (or the set of CA and profile records) was changed outside
 * CertDesk, ISSUER_NOT_VALID naming the CA and why when one is revoked, expired or not yet valid.
 */
export function checkSigningChain(vault: Vault, caId: number, purpose: SignaturePurpose, opts: ChainCheckOptions = {}): { ca: CaRecord; chain: ChainLink[] } {
  // CAs and profiles are few: their whole record sets are checked, so an older copy of one put back is caught too.
  vault.records.checkTables(['cas', 'profiles']);
  const chain = chainOf(vault, caId);
  if (opts.revokedSets !== false) for (const parent of chain.slice(1)) checkRevokedSet(vault, parent.ca);
  const signing = chain[0]!;
  const now = vault.now().toISOString();
  let revoked: ChainLink | null = null;
  for (const [i, link] of chain.entries()) {
    const problem = link.cert.not_before > now ? `is not valid before ${link.cert.not_before}` : link.cert.not_after <= now ? `expired on ${link.cert.not_after}` : null;
    if (problem) throw notValid(signing, link, i, problem, purpose);
    if (link.cert.status === 'revoked') revoked ??= link;
  }
  if (revoked) {
    const how = `revoked (${revoked.cert.revocation_reason}, on ${revoked.cert.revoked_at})`;
    if (purpose !== 'crl') throw notValid(signing, revoked, chain.indexOf(revoked), `is ${how}`, purpose);
    if (!issuedUnexpired(vault, signing.ca.id, now)) {
      throw notValid(signing, revoked, chain.indexOf(revoked), `is ${how} and every certificate "${signing.ca.name}" issued has expired: no CRL is needed any more`, purpose);
    }
  }
  // A CA renewed with a new key (core/ca/ca-renew.ts) is retired: its successor issues; it signs only CRLs.
  if (purpose !== 'crl' && signing.cert.superseded_by !== null) throw retired(vault, signing);
  return { ca: toCaRecord(vault, signing.ca, signing.cert), chain };
}

function retired(vault: Vault, signing: ChainLink): CertDeskError {
  const successor = vault.db.prepare('SELECT name FROM cas WHERE certificate_id = ?').get(signing.cert.superseded_by) as { name: string } | undefined;
  const by = successor ? `CA "${successor.name}" took over with a new key` : `certificate ${signing.cert.superseded_by} replaced it`;
  return new CertDeskError('ISSUER_NOT_VALID', `CA "${signing.ca.name}" is retired (${by}): it signs only CRLs for what it issued, not a certificate`, {
    ca: signing.ca.name,
    refusedBy: signing.ca.name,
  });
}

/**
 * Checks that a CA's revocations, as the certificate rows have them, are the set its record holds. Throws
 * VAULT_TAMPERED naming the CA when a revocation was removed, added, changed or set back to "valid".
 * Returns the revocations (oldest first) for the caller to use.
 */
export function checkRevokedSet(vault: Vault, ca: CaRow): Revocation[] {
  const { revocations, problem } = compareRevokedSet(vault.records, ca);
  if (problem) {
    // Name the record when one of the CA's certificates was edited (its MAC fails); a row deleted or put
    // back from an older copy (its MAC once valid) can only be named as a difference in the CA's set.
    for (const row of vault.db.prepare('SELECT * FROM certificates WHERE issuer_ca_id = ?').iterate(ca.id) as IterableIterator<CertRow>) {
      if (!vault.records.holds('certificates', row as unknown as Row)) throw tamperedRecord('certificates', row as unknown as Row, row.mac ? 'does not match its MAC' : 'has no MAC');
    }
    throw tamperedVault(`CA ${ca.id} "${ca.name}": ${problem}`, { table: 'cas', record: { id: ca.id } });
  }
  return revocations;
}

/**
 * For a certificate about to be exported or renewed: its issuing CA's record must hold and the CA's
 * revocations, as the certificate rows have them, must be the set that record holds. So a certificate row
 * put back from a backup taken before its revocation (its MAC once valid) is refused here, not only by
 * the next CRL and `vault verify`; so is any certificate row put back from an older copy (the certificates'
 * record set). VAULT_TAMPERED naming the CA, or the table, otherwise.
 */
export function checkIssuerRevocations(vault: Vault, issuerCaId: number | null): void {
  const ca = issuerCaId === null ? undefined : getCaRow(vault, issuerCaId);
  if (ca) {
    vault.records.check('cas', ca as unknown as Row);
    checkRevokedSet(vault, ca);
  }
  // Any certificate row put back from an older copy (its MAC once valid) changes the table's set.
  vault.records.checkSet('certificates');
}

function issuedUnexpired(vault: Vault, caId: number, now: string): boolean {
  return vault.db.prepare('SELECT 1 FROM certificates WHERE issuer_ca_id = ? AND not_after > ? LIMIT 1').get(caId, now) !== undefined;
}

function notValid(signing: ChainLink, link: ChainLink, index: number, problem: string, purpose: SignaturePurpose): CertDeskError {
  const what = purpose === 'crl' ? 'a CRL' : 'a certificate';
  const message =
    index === 0
      ? `CA "${signing.ca.name}" ${problem}: it cannot sign ${what}`
      : `CA "${signing.ca.name}" cannot sign ${what}: CA "${link.ca.name}" above it ${problem}`;
  return new CertDeskError('ISSUER_NOT_VALID', message, { ca: signing.ca.name, refusedBy: link.ca.name });
}

/**
 * Whether the CA may sign its CRL now (publishing skips those that may not: expired, or revoked with every
 * certificate it issued expired). A record changed outside CertDesk is not a reason to skip: VAULT_TAMPERED is thrown.
 */
export function maySignCrl(vault: Vault, caId: number): boolean {
  try {
    checkSigningChain(vault, caId, 'crl', { revokedSets: false });
    return true;
  } catch (e) {
    if (e instanceof CertDeskError && e.code === 'ISSUER_NOT_VALID') return false;
    throw e;
  }
}
