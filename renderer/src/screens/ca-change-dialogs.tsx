// The CA details panel's changes: Renew (same key, or a new key with the old CA retired but still signing
// CRLs), Revoke an intermediate (its parent's CRL lists it; permanent), and the CRL settings. Each calls its
// channel and hands the answer back, so the panel shows what the action did.
import { useState } from 'react';
import type { CaRecord, CaRenewal, CaRevocationReason } from '../../../shared/domain.js';
import { CA_REVOCATION_REASONS } from '../../../shared/domain.js';
import { Busy, ErrorBanner, Notice, SelectField, TextField } from '../components/ui.js';
import { useSubmit } from '../components/use-submit.js';
import { call } from '../state/api.js';
import { CA_REASON_LABELS } from '../state/cas.js';

export function RenewCaDialog({ ca, onDone }: { ca: CaRecord; onDone: (r: CaRenewal) => void }) {
  const root = ca.issuerCaId === null;
  const [newKey, setNewKey] = useState(false);
  const [days, setDays] = useState(root ? '3650' : '1825');
  const [name, setName] = useState(`${ca.name} ${new Date().getUTCFullYear()}`);
  const [crlUrl, setCrlUrl] = useState('');
  const { busy, error, submit } = useSubmit(
    () => call('ca.renew', { id: ca.id, days: Number(days), ...(newKey ? { newKey: true, name: name.trim(), crlUrl: crlUrl.trim() || undefined } : {}) }),
    onDone,
  );
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset className="choices">
        <legend>Key</legend>
        <label>
          <input type="radio" name="ca-renew-key" checked={!newKey} onChange={() => setNewKey(false)} /> Same key: a new certificate for the same name and key; everything
          it signed stays valid
        </label>
        <label>
          <input type="radio" name="ca-renew-key" checked={newKey} onChange={() => setNewKey(true)} /> New key: a new CA with the same subject; “{ca.name}” is retired
          (issues nothing more, still signs CRLs for what it issued)
        </label>
      </fieldset>
      <p className="hint">{root ? 'A root signs its own new certificate.' : 'Its parent CA signs the new certificate.'}</p>
      <TextField label="Valid for (days)" type="number" value={days} onChange={setDays} hint={root ? undefined : 'Not past the parent CA’s own end date.'} />
      {newKey && (
        <>
          <TextField label="Name of the new CA in CertDesk" value={name} onChange={setName} />
          <TextField
            label="CRL address of the new CA"
            value={crlUrl}
            onChange={setCrlUrl}
            placeholder="http://pki.example.com/issuing-2.crl"
            hint={ca.crlUrl ? `Not ${ca.crlUrl}: the retired key keeps publishing there for the certificates it issued.` : 'Optional.'}
          />
        </>
      )}
      <ErrorBanner error={error} />
      <div className="actions end">
        <button type="submit" className="primary" disabled={busy || !days || (newKey && !name.trim())}>
          {busy ? <Busy label="Renewing…" /> : newKey ? 'Renew with a new key' : 'Renew'}
        </button>
      </div>
    </form>
  );
}

export function RevokeCaDialog({ ca, parent, onDone }: { ca: CaRecord; parent: string | null; onDone: (r: CaRecord) => void }) {
  const [reason, setReason] = useState<CaRevocationReason>('caCompromise');
  const { busy, error, submit } = useSubmit(() => call('ca.revoke', { id: ca.id, reason }), onDone);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Notice kind="warning">
        Revoking CA “{ca.name}” ({ca.subject}) is permanent. {parent ? `The CRL of “${parent}”` : 'Its parent’s CRL'} lists it from its next publication, and it
        issues nothing more. It keeps signing its own CRL for the certificates it issued.
      </Notice>
      <SelectField label="Reason" value={reason} options={CA_REVOCATION_REASONS.map((r) => ({ value: r, label: CA_REASON_LABELS[r] }))} onChange={setReason} />
      <ErrorBanner error={error} />
      <div className="actions end">
        <button type="submit" className="danger" disabled={busy}>
          {busy ? <Busy label="Revoking…" /> : `Revoke ${ca.name}`}
        </button>
      </div>
    </form>
  );
}

export function CrlSettingsDialog({ ca, onDone }: { ca: CaRecord; onDone: (r: CaRecord) => void }) {
  const [crlUrl, setCrlUrl] = useState(ca.crlUrl ?? '');
  const [crlDays, setCrlDays] = useState(String(ca.crlDays));
  const { busy, error, submit } = useSubmit(() => call('ca.update', { id: ca.id, crlUrl: crlUrl.trim() || null, crlDays: Number(crlDays) }), onDone);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextField
        label="CRL address"
        value={crlUrl}
        onChange={setCrlUrl}
        placeholder="http://pki.example.com/issuing.crl"
        hint="Written into the certificates this CA issues from now on; those issued before keep the address they carry. Empty: none."
      />
      <TextField label="Each CRL is valid for (days)" type="number" value={crlDays} onChange={setCrlDays} hint="Publish again before it runs out: the dashboard warns." />
      <ErrorBanner error={error} />
      <div className="actions end">
        <button type="submit" className="primary" disabled={busy || !crlDays}>
          {busy ? <Busy label="Saving…" /> : 'Save CRL settings'}
        </button>
      </div>
    </form>
  );
}
