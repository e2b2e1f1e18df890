// What a certificate's details panel may do with it, from the certificate's state alone, so the panel can
// re-render from the answer of the action it performed (a revoke, renew or release answers with the
// certificate as it now is) without asking main again, and main's cert.get says the same.
import type { CertificateRecord } from './domain.js';

type State = Pick<CertificateRecord, 'kind' | 'status' | 'hasKey' | 'supersededBy' | 'source' | 'revocationReason'>;

/** Whether a PFX can be made again: an end-entity certificate, valid (not revoked or expired), its key in the vault. */
export function isExportable(c: State): boolean {
  return c.kind === 'end-entity' && c.status === 'valid' && c.hasKey;
}

/**
 * The panel's actions for certificate `c`: renew (not revoked, not already renewed, not signed from a CSR),
 * revoke (an end entity's, not revoked; a CA's goes through its CA), release a hold (revoked with certificateHold, RFC 5280 5.3.1), export again (isExportable).
 */
export function certificateActions(c: State): { export: boolean; renew: boolean; revoke: boolean; releaseHold: boolean } {
  return {
    export: isExportable(c),
    renew: c.status !== 'revoked' && c.supersededBy === null && c.source !== 'csr',
    // A CA's certificate is revoked with its CA (the Certificate authorities panel: ca.revoke), never alone.
    revoke: c.status !== 'revoked' && c.kind === 'end-entity',
    releaseHold: c.status === 'revoked' && c.revocationReason === 'certificateHold',
  };
}
