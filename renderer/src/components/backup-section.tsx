// Settings → Backups (issue 15): the last verified backup and whether one is due, "Back up now" to a file the
// officer picks in the save dialog (encrypted with the vault passphrase, verified after writing; main refuses an
// existing file; optionally also restorable with K of N officers' backup shares, written to a chosen folder),
// the reminder interval, and "Restore a backup…" (restore-dialog.tsx).
import { dateTime } from '../state/format.js';
import { useEffect, useState } from 'react';
import type { BackupStatusView, SharesWritten } from '../../../shared/api.js';
import { call, messageOf } from '../state/api.js';
import { clearPassphrases, newSplitDraft, splitMissing, splitRequest, type SplitDraft } from '../state/officer-split.js';
import { WrittenShares } from './quorum-split-dialog.js';
import { SplitFields, useSplitRule } from './split-fields.js';
import { Busy, ErrorBanner, Notice, ReasonButton, SaveFileField, TextField } from './ui.js';
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
  const [withShares, setWithShares] = useState(false);
  const [draft, setDraft] = useState<SplitDraft>(newSplitDraft);
  const [written, setWritten] = useState<SharesWritten | null>(null);
  const { minLength, estimate } = useSplitRule(withShares);
  const missing = [!file && 'Choose the backup file.', !passphrase && 'Type the vault passphrase.'].filter((m): m is string => !!m);
  if (withShares) missing.push(...splitMissing(draft, minLength, estimate));
  useEffect(() => {
    if (loaded.data) {
      setStatus(loaded.data);
      setDays(String(loaded.data.reminderDays));
    }
  }, [loaded.data]);

  const backUp = async () => {
    if (busy || missing.length > 0) return;
    setBusy(true);
    setError(null);
    setNote(null);
    setWritten(null);
    const shares = withShares ? splitRequest(draft) : undefined;
    // Sent: the passphrases leave the form now, whatever main answers.
    setDraft(clearPassphrases(draft));
    try {
      const r = await call('vault.backup', shares ? { passphrase, file, shares } : { passphrase, file });
      setStatus(r.status);
      const also = r.shares ? ` It also restores with any ${r.shares.k} of the ${r.shares.n} officers’ backup shares: give each officer their own share file or sheet, then delete them here:` : '';
      setNote(`Backed up to ${r.file} (${r.bytes} bytes: ${plural(r.counts.cas, 'CA')}, ${plural(r.counts.certificates, 'certificate')}) and verified.${also}`);
      setWritten(r.shares ?? null);
      setFile('');
    } catch (e) {
      setError(messageOf(e));
    }
    for (const h of shares?.holders ?? []) h.passphrase = '';
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
        <label className="check">
          <input type="checkbox" checked={withShares} onChange={(e) => setWithShares(e.target.checked)} /> Also allow restore with K of N officers’ shares
        </label>
        {withShares && (
          <>
            <p className="hint">
              For a forgotten vault passphrase: any K of the officers together restore this backup and set a new passphrase. One officer alone cannot; each share opens this backup only.
            </p>
            <SplitFields draft={draft} onChange={setDraft} what="restoring this backup without the vault passphrase" />
          </>
        )}
        <div className="actions end">
          <ReasonButton className="primary" reasons={busy ? [] : missing} busy={busy} onClick={() => void backUp()}>
            {busy ? <Busy label="Backing up…" /> : 'Back up now'}
          </ReasonButton>
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
      {written && <WrittenShares written={written} />}
      <ErrorBanner error={error ?? loaded.error} />
      <div className="actions">
        <RestoreButton label="Restore a backup…" />
      </div>
    </section>
  );
}
