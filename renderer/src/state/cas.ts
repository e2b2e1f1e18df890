// Which CAs can sign: the key is in the vault and the CA is valid. One that signs CAs also needs a
// path length that allows another level. And what the CA lifecycle actions offer (issue 14).
import type { CaExportFormat, CaRecord, CaRevocationReason } from '../../../shared/domain.js';

export const canSign = (ca: CaRecord): boolean => ca.hasKey && ca.status === 'valid' && !ca.retired;

export const canSignCas = (ca: CaRecord): boolean => canSign(ca) && ca.pathLength !== 0;

/** Only an intermediate of this vault can be revoked (its parent's CRL lists it); a root never. */
export const canRevokeCa = (ca: CaRecord): boolean => ca.issuerCaId !== null && ca.status !== 'revoked';

/** The file name the save dialog proposes: the CA's name made file-safe, and the format's extension. */
export function caFileName(ca: Pick<CaRecord, 'name'>, format: CaExportFormat): string {
  const base = ca.name.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|[-.]+$/g, '') || 'ca';
  const ext = { pem: 'pem', der: 'cer', p7b: 'p7b', pfx: 'pfx' }[format];
  return `${base}.${ext}`;
}

/** The certificate-only formats of "Save as…", in plain words. */
export const CA_SAVE_FORMATS: { value: Exclude<CaExportFormat, 'pfx'>; label: string }[] = [
  { value: 'pem', label: 'PEM certificate (.pem)' },
  { value: 'der', label: 'DER certificate (.cer), for Windows' },
  { value: 'p7b', label: 'Chain up to the root (.p7b, PKCS#7)' },
];

/** The reasons that fit a CA, in plain words with the RFC 5280 term beside. */
export const CA_REASON_LABELS: Record<CaRevocationReason, string> = {
  unspecified: 'No reason given (unspecified)',
  caCompromise: 'Its private key may be known to others (cACompromise)',
  affiliationChanged: 'The organisation it belongs to changed (affiliationChanged)',
  superseded: 'Replaced by another CA (superseded)',
  cessationOfOperation: 'It is shut down (cessationOfOperation)',
  privilegeWithdrawn: 'It may no longer issue (privilegeWithdrawn)',
};
