// The revoke dialog: names the certificate and its holder, offers only the reasons that fit the certificate's
// kind (state/revoke-reasons.ts, RFC 5280 5.3.1) in plain words with the RFC term beside, and says what the
// choice means: permanent, or a hold that can be released.
import { useState } from 'react';
import type { CertificateRecord, RevocationReason } from '../../../shared/domain.js';
import { useCertDetails } from '../state/cert-details.js';
import { shortThumb } from '../state/format.js';
import { reasonsFor, revocationConsequence } from '../state/revoke-reasons.js';
import { ErrorBanner, Notice, SelectField } from './ui.js';

export function RevokeDialogBody({ certificate: c, onDone }: { certificate: CertificateRecord; onDone: () => void }) {
  const choices = reasonsFor(c.kind);
  const [reason, setReason] = useState<RevocationReason>(choices[choices.length - 1]!.value);
  const { revoke, actionError } = useCertDetails();
  const [busy, setBusy] = useState(false);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void revoke(reason).then((ok) => {
          setBusy(false);
          if (ok) onDone();
        });
      }}
    >
      <p data-testid="revoke-target">
        Certificate {c.id} of <strong>{c.holder}</strong>
        {c.issuerName ? `, issued by ${c.issuerName}` : ''} (serial <code>{c.serial}</code>, SHA-256 <code>{shortThumb(c.sha256)}</code>).
      </p>
      <SelectField label="Reason" value={reason} options={choices} onChange={setReason} hint="Key compromised when someone else may have the private key (a lost laptop or phone); replaced when a new certificate takes its place." />
      <Notice kind="warning">{revocationConsequence(reason)}</Notice>
      <ErrorBanner error={actionError} />
      <div className="actions end">
        <button type="submit" className="danger" disabled={busy}>
          {reason === 'certificateHold' ? 'Put on hold' : 'Revoke'}
        </button>
      </div>
    </form>
  );
}
