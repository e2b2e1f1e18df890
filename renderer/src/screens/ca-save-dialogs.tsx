// The CA details panel's "Save as…" (the CA certificate as PEM or DER, the chain as .p7b) and "Export with
// key…" (a PFX with the CA's private key: a warning to confirm, a password typed twice). Both write only the
// file the officer chose in the save dialog (channel ca.export).
import { useState } from 'react';
import type { CaExportFormat, CaExportSummary, CaRecord, PfxEncryption } from '../../../shared/domain.js';
import { Busy, ErrorBanner, Notice, SaveFileField, SelectField, TextField } from '../components/ui.js';
import { useSubmit } from '../components/use-submit.js';
import { call } from '../state/api.js';
import { CA_SAVE_FORMATS, caFileName } from '../state/cas.js';

export function SaveCaDialog({ ca, onDone }: { ca: CaRecord; onDone: (summary: CaExportSummary) => void }) {
  const [format, setFormat] = useState<Exclude<CaExportFormat, 'pfx'>>('pem');
  const [file, setFile] = useState('');
  const { busy, error, submit: save } = useSubmit(() => call('ca.export', { id: ca.id, format, file }), onDone);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset className="choices">
        <legend>Format</legend>
        {CA_SAVE_FORMATS.map((f) => (
          <label key={f.value}>
            <input type="radio" name="ca-save-format" checked={format === f.value} onChange={() => setFormat(f.value)} /> {f.label}
          </label>
        ))}
      </fieldset>
      <SaveFileField key={format} label="File" value={file} onChange={setFile} defaultName={caFileName(ca, format)} dialogTitle={`Save the certificate of ${ca.name}`} hint="The certificate only: no private key." />
      <ErrorBanner error={error} />
      <div className="actions end">
        <button type="submit" className="primary" disabled={busy || !file}>
          {busy ? <Busy label="Saving…" /> : 'Save'}
        </button>
      </div>
    </form>
  );
}

export function ExportCaKeyDialog({ ca, onDone }: { ca: CaRecord; onDone: (summary: CaExportSummary) => void }) {
  const [file, setFile] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [encryption, setEncryption] = useState<PfxEncryption>('modern');
  const [understood, setUnderstood] = useState(false);
  const mismatch = again !== '' && again !== password ? 'The two passwords differ.' : null;
  const { busy, error, submit: run } = useSubmit(async () => {
    const summary = await call('ca.export', { id: ca.id, format: 'pfx', file, password, encryption });
    setPassword('');
    setAgain('');
    return summary;
  }, onDone);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}
    >
      <Notice kind="warning">
        <strong>The private key of CA “{ca.name}” leaves the vault.</strong> Whoever has the PFX file and its password can sign certificates that every device
        trusting this CA accepts. Keep the file offline and delete it when it has served its purpose. The export is recorded in the audit log (without the
        password).
      </Notice>
      <SaveFileField label="PFX file" value={file} onChange={setFile} defaultName={caFileName(ca, 'pfx')} dialogTitle={`Export ${ca.name} with its private key`} />
      <div className="two-col">
        <TextField label="PFX password" type="password" value={password} onChange={setPassword} hint="At least 12 characters from three of: upper case, lower case, digits, symbols." />
        <TextField label="PFX password again" type="password" value={again} onChange={setAgain} problem={mismatch} />
      </div>
      <SelectField
        label="Encryption"
        value={encryption}
        options={[
          { value: 'modern', label: 'AES-256 (Windows 10 1709+, OpenSSL 3, current Java)' },
          { value: 'legacy', label: '3DES/SHA-1 (older Windows and appliances)' },
        ]}
        onChange={setEncryption}
      />
      <label className="check">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} /> I understand that the CA’s private key leaves the vault
      </label>
      <ErrorBanner error={error} />
      <div className="actions end">
        <button type="submit" className="danger" disabled={busy || !file || !password || password !== again || !understood}>
          {busy ? <Busy label="Exporting…" /> : 'Export with private key'}
        </button>
      </div>
    </form>
  );
}
