// The revocation reasons the revoke dialog offers for a certificate, by its kind, in plain words with the
// RFC 5280 5.3.1 CRLReason term beside each. Which reasons fit (RFC 5280 5.3.1):
// - keyCompromise is about an end entity's key, cACompromise about a CA's key: an end-entity certificate is
//   offered keyCompromise and not cACompromise, a CA certificate cACompromise (its key is a CA key).
// - aaCompromise is about an attribute authority, which issues attribute certificates (RFC 5755); CertDesk
//   issues public-key certificates only, so no certificate here is an AA's: never offered.
// - removeFromCRL is not a reason to revoke: it only appears in delta CRLs, to say an entry left (a hold
//   released); it is not in REVOCATION_REASONS.
// - certificateHold is the one reason that is not permanent: the hold can be released (cert.unhold).
import type { CertKind, RevocationReason } from '../../../shared/domain.js';

export interface ReasonChoice {
  value: RevocationReason;
  /** Plain words, then the RFC 5280 term in brackets. */
  label: string;
}

const LABELS: Record<Exclude<RevocationReason, 'aaCompromise'>, string> = {
  unspecified: 'No reason given (unspecified)',
  keyCompromise: 'Key compromised (keyCompromise)',
  caCompromise: 'CA key compromised (cACompromise)',
  affiliationChanged: 'Holder left or changed role (affiliationChanged)',
  superseded: 'Replaced by a new certificate (superseded)',
  cessationOfOperation: 'No longer needed (cessationOfOperation)',
  certificateHold: 'On hold: can be released (certificateHold)',
  privilegeWithdrawn: 'Rights withdrawn (privilegeWithdrawn)',
};

const END_ENTITY: (keyof typeof LABELS)[] = ['keyCompromise', 'superseded', 'affiliationChanged', 'cessationOfOperation', 'privilegeWithdrawn', 'certificateHold', 'unspecified'];
const CA: (keyof typeof LABELS)[] = ['caCompromise', 'superseded', 'affiliationChanged', 'cessationOfOperation', 'privilegeWithdrawn', 'certificateHold', 'unspecified'];

/** A recorded reason in plain words with its RFC 5280 term (aaCompromise too: an imported record may carry it). */
export function reasonLabel(reason: RevocationReason): string {
  return reason === 'aaCompromise' ? 'Attribute authority compromised (aACompromise)' : LABELS[reason];
}

/** The reasons that fit a certificate of `kind`, most common first. */
export function reasonsFor(kind: CertKind): ReasonChoice[] {
  return (kind === 'ca' ? CA : END_ENTITY).map((value) => ({ value, label: LABELS[value] }));
}

/** What revoking with `reason` means for the holder: permanent, or a hold that can be released. */
export function revocationConsequence(reason: RevocationReason): string {
  return reason === 'certificateHold'
    ? 'On hold: the certificate stops working once servers fetch the new CRL, until the hold is released (“Release hold” in the details, or certdesk unhold).'
    : 'Revocation is permanent: the certificate can never be made valid again. To suspend it for a while, choose “On hold” instead.';
}
