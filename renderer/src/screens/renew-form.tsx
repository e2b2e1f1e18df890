// The renew dialog's form: the successor's validity with preflight's findings beside it, "Override with reason"
// for errors, revoking the old certificate, and where the new bundle goes.
import { useEffect, useState } from 'react';
import type { DeliveryChoice, RenewAnswer } from '../../../shared/api.js';
import { deliveryRequest, initialDelivery } from '../components/delivery-form.js';
import { DevicePicker } from '../components/device-picker.js';
import { Findings, OverrideField } from '../components/findings.js';
import { Busy, ErrorBanner, FolderField, TextField } from '../components/ui.js';
import { day } from '../state/format.js';
import { useRenew } from '../state/renew.js';

export function RenewForm(props: { id: number; defaultEncryption: 'modern' | 'legacy'; lastDelivery: DeliveryChoice | null; onDone: (h: RenewAnswer) => void }) {
  const r = useRenew();
  const [folder, setFolder] = useState('');
  // The devices of the certificate's latest delivery, preselected (issue 14): an old iPhone's certificate renews legacy.
  const initial = initialDelivery(props.lastDelivery, props.defaultEncryption);
  const [devices, setDevices] = useState(initial.devices);
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
        void r.renew({ folder, ...deliveryRequest(devices, initial.fallback) }, revokeOld).then((h) => h && props.onDone(h));
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
      <DevicePicker value={devices} onChange={setDevices} fallback={initial.fallback} />
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
