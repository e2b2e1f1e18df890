// "Restore a backup…" (issue 15), from Settings → Backups and from the welcome and unlock screens: the backup file
// picked in main's open dialog, the new vault file in its save dialog (never an existing file: main refuses and
// says so), the backup's vault passphrase; main restores and verifies (vault.restore), then the officer may open
// the restored vault (it unlocks with the backup's passphrase). The current vault is not touched.
import { useState } from 'react';
import type { RestoreSummary } from '../../../shared/api.js';
import { call, messageOf } from '../state/api.js';
import { dateTime } from '../state/format.js';
import { useSession } from '../state/session.js';
import { Busy, ErrorBanner, Modal, Notice, OpenFileField, ReasonButton, SaveFileField, TextField } from './ui.js';

const today = () => new Date().toISOString().slice(0, 10);
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The button and its dialog. `label`: "Restore a backup…" (Settings) or "Restore from a backup…" (welcome, unlock). */
export function RestoreButton({ label }: { label: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {label}
      </button>
      <Modal title="Restore a backup" open={open} onClose={() => setOpen(false)}>
        <RestoreForm onOpened={() => setOpen(false)} />
      </Modal>
    </>
  );
}

function RestoreForm({ onOpened }: { onOpened: () => void }) {
  const openPath = useSession((s) => s.openPath);
  const [file, setFile] = useState('');
  const [target, setTarget] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<RestoreSummary | null>(null);
  const missing = [!file && 'Choose the backup file.', !target && 'Choose the new vault file.', !passphrase && 'Type the backup’s vault passphrase.'].filter((m): m is string => !!m);
  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      setDone(await call('vault.restore', { file, vault: target, passphrase }));
    } catch (e) {
      setError(messageOf(e));
    }
    setPassphrase('');
    setBusy(false);
  };
  const open = async () => {
    if (!done) return;
    setError(null);
    if (await openPath(done.vault)) onOpened();
    else setError(useSession.getState().error);
  };
  if (done) {
    return (
      <div>
        <Notice kind="success">
          Restored the backup taken {dateTime(done.backupCreatedAt)} into the new vault {done.vault}: {plural(done.counts.cas, 'CA')}, {plural(done.counts.certificates, 'certificate')}; verified ({plural(done.recordsChecked, 'record')} checked). It unlocks with the backup’s vault passphrase.
        </Notice>
        <ErrorBanner error={error} />
        <div className="actions end">
          <button type="button" className="primary" onClick={() => void open()}>
            Open the restored vault
          </button>
        </div>
      </div>
    );
  }
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (missing.length === 0 && !busy) void restore();
      }}
    >
      <p className="hint">The backup is checked completely, written into a new vault file and checked again there. The vault open now is not changed.</p>
      <OpenFileField label="Backup file" value={file} onChange={setFile} dialogTitle="Choose the backup to restore" filterName="CertDesk backup" extensions={['certdesk-backup']} />
      <SaveFileField label="New vault file" value={target} onChange={setTarget} defaultName={`restored-${today()}.certdesk`} dialogTitle="Save the restored vault as" hint="A new file: a restore never replaces a file." />
      <TextField label="The backup’s vault passphrase" type="password" value={passphrase} onChange={setPassphrase} autoComplete="off" />
      <ErrorBanner error={error} />
      <div className="actions end">
        <ReasonButton className="primary" reasons={busy ? [] : missing} busy={busy} onClick={() => void restore()}>
          {busy ? <Busy label="Restoring and verifying…" /> : 'Restore'}
        </ReasonButton>
      </div>
    </form>
  );
}
