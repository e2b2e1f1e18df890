// "Restore a backup…" (issue 15), from Settings → Backups and from the welcome and unlock screens: the backup file
// picked in main's open dialog, the new vault file in its save dialog (never an existing file: main refuses and
// says so), the backup's vault passphrase; main restores and verifies (vault.restore), then the officer may open
// the restored vault (it unlocks with the backup's passphrase). The current vault is not touched.
// "Restore with officers' shares instead of the passphrase" (a backup made with backup shares): K share files,
// each picked in the open dialog with its holder's passphrase, and the restored vault's new passphrase.
import { useState } from 'react';
import type { RequestOf, RestoreSummary } from '../../../shared/api.js';
import { call, messageOf } from '../state/api.js';
import { dateTime } from '../state/format.js';
import { passphraseStrength } from '../state/passphrase.js';
import { restoreShareMissing, type RestoreShareRow } from '../state/restore-shares.js';
import { useSession } from '../state/session.js';
import { useSplitRule } from './split-fields.js';
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
  const [byShares, setByShares] = useState(false);
  const [shares, setShares] = useState<RestoreShareRow[]>(() => [{ file: '', passphrase: '' }, { file: '', passphrase: '' }]);
  const [newPassphrase, setNewPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const { minLength, estimate } = useSplitRule(byShares);
  const newProblem = newPassphrase && estimate ? passphraseStrength(newPassphrase, minLength, estimate).problem : null;
  const missing = [!file && 'Choose the backup file.', !target && 'Choose the new vault file.'].filter((m): m is string => !!m);
  if (byShares) missing.push(...restoreShareMissing(shares, newPassphrase, again, newProblem, estimate !== null));
  else if (!passphrase) missing.push('Type the backup’s vault passphrase.');
  const restore = async () => {
    if (busy || missing.length > 0) return;
    setBusy(true);
    setError(null);
    const filled = shares.filter((r) => r.file !== '');
    const req: RequestOf<'vault.restore'> = byShares ? { file, vault: target, shares: filled.map((r) => ({ ...r })), newPassphrase } : { file, vault: target, passphrase };
    // Sent: the passphrases leave the form now, whatever main answers.
    setPassphrase('');
    setShares(shares.map((r) => ({ ...r, passphrase: '' })));
    try {
      setDone(await call('vault.restore', req));
    } catch (e) {
      setError(messageOf(e));
    }
    for (const r of req.shares ?? []) r.passphrase = '';
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
          Restored the backup taken {dateTime(done.backupCreatedAt)}
          {done.holders ? ` with the backup shares of ${done.holders.join(', ')}` : ''} into the new vault {done.vault}: {plural(done.counts.cas, 'CA')}, {plural(done.counts.certificates, 'certificate')}; verified ({plural(done.recordsChecked, 'record')} checked).{' '}
          {done.holders ? 'It unlocks with the new passphrase you set.' : 'It unlocks with the backup’s vault passphrase.'}
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
      <label className="check">
        <input type="checkbox" checked={byShares} onChange={(e) => setByShares(e.target.checked)} /> Restore with officers’ shares instead of the passphrase
      </label>
      {byShares ? (
        <>
          <p className="hint">For a backup made with backup shares: K officers each add their share file and type their own share passphrase; the restored vault gets a new passphrase.</p>
          {shares.map((row, i) => (
            <fieldset className="share" key={i}>
              <legend>Backup share {i + 1}</legend>
              <OpenFileField label="Share file" value={row.file} onChange={(v) => setShares(shares.map((r, j) => (j === i ? { ...r, file: v } : r)))} dialogTitle={`Choose backup share ${i + 1}`} filterName="CertDesk share" extensions={['certdesk-share']} />
              <TextField label="Share passphrase" type="password" value={row.passphrase} onChange={(v) => setShares(shares.map((r, j) => (j === i ? { ...r, passphrase: v } : r)))} autoComplete="off" />
              {shares.length > 2 && (
                <button type="button" className="link" onClick={() => setShares(shares.filter((_r, j) => j !== i))}>
                  Remove backup share {i + 1}
                </button>
              )}
            </fieldset>
          ))}
          {shares.length < 16 && (
            <button type="button" onClick={() => setShares([...shares, { file: '', passphrase: '' }])}>
              Add another officer’s share
            </button>
          )}
          <TextField label="The restored vault’s new passphrase" type="password" value={newPassphrase} onChange={setNewPassphrase} autoComplete="new-password" problem={newProblem} hint={`At least ${minLength} characters, “good” or “strong”.`} />
          <TextField label="The new passphrase again" type="password" value={again} onChange={setAgain} autoComplete="new-password" problem={again !== '' && again !== newPassphrase ? 'The two entries differ.' : null} />
        </>
      ) : (
        <TextField label="The backup’s vault passphrase" type="password" value={passphrase} onChange={setPassphrase} autoComplete="off" />
      )}
      <ErrorBanner error={error} />
      <div className="actions end">
        <ReasonButton className="primary" reasons={busy ? [] : missing} busy={busy} onClick={() => void restore()}>
          {busy ? <Busy label="Restoring and verifying…" /> : 'Restore'}
        </ReasonButton>
      </div>
    </form>
  );
}
