// Settings → Backups (issue 15): the last verified backup and whether one is due, "Back up now" to a file the
// officer picks in the save dialog (encrypted with the vault passphrase, verified after writing; main refuses an
// existing file), the reminder interval, and "Restore a backup…" (restore-dialog.tsx).
import { dateTime } from '../state/format.js';
import { useEffect, useState } from 'react';
import type { BackupStatusView } from '../../../shared/api.js';
import { call, messageOf } from '../state/api.js';
import { Busy, ErrorBanner, Notice, SaveFileField, TextField } from './ui.js';
import { useLoad } from './use-load.js';
import { RestoreButton } from './restore-dialog.js';

const today = () => new Date().toISOString().slice(0, 10);
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function BackupSection() {
  const loaded = useLoad(() => call('vault.backupStatus', {}), []);
  const [status, setStatus] = useState<BackupStatusView | null>(null);
  const [file, setFile] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [days, setDays] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (loaded.data) {
      setStatus(loaded.data);
      setDays(String(loaded.data.reminderDays));
    }
  }, [loaded.data]);

  const backUp = async () => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const r = await call('vault.backup', { passphrase, file });
      setStatus(r.status);
      setNote(`Backed up to ${r.file} (${r.bytes} bytes: ${plural(r.counts.cas, 'CA')}, ${plural(r.counts.certificates, 'certificate')}) and verified.`);
      setFile('');
    } catch (e) {
      setError(messageOf(e));
    }
    setPassphrase('');
    setBusy(false);
  };
  const saveDays = async () => {
    setError(null);
    setNote(null);
    try {
      const s = await call('vault.setBackupReminder', { days: Number(days) });
      setStatus(s);
      setNote(`Reminding when the last verified backup is more than ${s.reminderDays} days old.`);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const last = status?.lastVerifiedBackup ?? null;
  return (
    <section className="step" aria-labelledby="backup-title">
      <h2 id="backup-title">Backups</h2>
      {status && (
        <p className="hint" data-testid="backup-last">
          {last ? `Last verified backup: ${dateTime(last.at)} (${last.file}).` : 'No verified backup of this vault yet.'} Last issued certificate: {status.lastIssuedAt ? dateTime(status.lastIssuedAt) : 'none'}.
        </p>
      )}
      {status?.reminderDue && <Notice kind="warning">Back up the vault: {status.reason}.</Notice>}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void backUp();
        }}
      >
        <SaveFileField label="Backup file" value={file} onChange={setFile} defaultName={`certdesk-${today()}.certdesk-backup`} dialogTitle="Save the vault backup" hint="A new file: a backup never replaces one." />
        <TextField label="Vault passphrase (encrypts the backup)" type="password" value={passphrase} onChange={setPassphrase} autoComplete="current-password" />
        <div className="actions end">
          <button type="submit" className="primary" disabled={busy || !file || !passphrase}>
            {busy ? <Busy label="Backing up…" /> : 'Back up now'}
          </button>
        </div>
      </form>
      <form
        noValidate
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void saveDays();
        }}
      >
        <TextField label="Remind after (days)" type="number" value={days} onChange={setDays} />
        <button type="submit">Save</button>
      </form>
      {note && <Notice kind="success">{note}</Notice>}
      <ErrorBanner error={error ?? loaded.error} />
      <div className="actions">
        <RestoreButton label="Restore a backup…" />
      </div>
    </section>
  );
}
