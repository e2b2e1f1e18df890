// The renew dialog's form: the successor's validity with preflight's findings beside it, "Override with reason"
// for errors, revoking the old certificate, and where the new bundle goes.
import { useEffect, useState } from 'react';
import type { RenewAnswer } from '../../../shared/api.js';
import { Findings, OverrideField } from '../components/findings.js';
import { Busy, ErrorBanner, FolderField, SelectField, TextField } from '../components/ui.js';
import { day } from '../state/format.js';
import { useRenew } from '../state/renew.js';

export function RenewForm(props: { id: number; defaultEncryption: 'modern' | 'legacy'; onDone: (h: RenewAnswer) => void }) {
  const r = useRenew();
  const [folder, setFolder] = useState('');
  const [encryption, setEncryption] = useState(props.defaultEncryption);
  const [revokeOld, setRevokeOld] = useState(true);
  useEffect(() => {
    void useRenew.getState().open(props.id);
  }, [props.id]);
  const findings = r.id === props.id ? (r.check?.findings ?? []) : [];
  const blocker = r.blocker();
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void r.renew({ folder, encryption }, revokeOld).then((h) => h && props.onDone(h));
      }}
    >
      <TextField
        label="Valid for (days, empty: the profile’s)"
        type="number"
        value={r.days}
        onChange={(d) => void r.setDays(d)}
        hint={r.check ? `The new certificate: ${r.check.days} days, until ${day(r.check.notAfter)}.` : undefined}
      />
      <Findings items={findings} label="Preflight findings for the new certificate" />
      <OverrideField findings={findings} value={r.override} onChange={r.setOverride} action="Renew" />
      <label className="check">
        <input type="checkbox" checked={revokeOld} onChange={(e) => setRevokeOld(e.target.checked)} /> Revoke the old certificate as superseded
      </label>
      <SelectField label="PFX encryption" value={encryption} options={[{ value: 'modern', label: 'Modern (AES-256)' }, { value: 'legacy', label: 'Legacy (3DES)' }]} onChange={setEncryption} />
      <FolderField label="Export folder" value={folder} onChange={setFolder} dialogTitle="Choose the export folder" />
      <ErrorBanner error={r.error} />
      {blocker && <p className="hint">{blocker}</p>}
      <div className="actions end">
        <button type="submit" className="primary" disabled={!folder || r.busy || blocker !== null}>
          {r.busy ? <Busy label="Working…" /> : 'Renew and export'}
        </button>
      </div>
    </form>
  );
}
