// The "Export the bundle again" dialog's form (moved out of certificates.tsx): the devices of the certificate's latest
// delivery preselected (issue 14), so an old iPhone's certificate is exported legacy again, a folder, and Export.
import { useState } from 'react';
import type { DeliveryChoice, Handover, RequestOf } from '../../../shared/api.js';
import { deliveryRequest, initialDelivery } from '../components/delivery-form.js';
import { DevicePicker } from '../components/device-picker.js';
import { Busy, ErrorBanner, FolderField } from '../components/ui.js';
import { useSubmit } from '../components/use-submit.js';

/** What `run` receives: cert.export's request without the id. */
export type ExportDelivery = Omit<RequestOf<'cert.export'>, 'id'>;

export function ExportAgainForm(props: { defaultEncryption: 'modern' | 'legacy'; lastDelivery: DeliveryChoice | null; run: (d: ExportDelivery) => Promise<Handover>; onDone: (h: Handover) => void }) {
  const [folder, setFolder] = useState('');
  const initial = initialDelivery(props.lastDelivery, props.defaultEncryption);
  const [devices, setDevices] = useState(initial.devices);
  const { busy, error, submit } = useSubmit(() => props.run({ folder, ...deliveryRequest(devices, initial.fallback) }), props.onDone);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p className="hint">A new PFX password is generated and shown once; the earlier one is not kept anywhere.</p>
      <DevicePicker value={devices} onChange={setDevices} fallback={initial.fallback} />
      <FolderField label="Export folder" value={folder} onChange={setFolder} dialogTitle="Choose the export folder" />
      <ErrorBanner error={error} />
      <div className="actions end">
        <button type="submit" className="primary" disabled={!folder || busy}>
          {busy ? <Busy label="Working…" /> : 'Export'}
        </button>
      </div>
    </form>
  );
}
