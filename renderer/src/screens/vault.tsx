// First run (create a vault, open one, or restore one from a backup) and the unlock screen.
import { useEffect, useState } from 'react';
import { passphraseStrength, usePassphraseEstimator } from '../state/passphrase.js';
import { useSession } from '../state/session.js';
import { Busy, ErrorBanner, TextField } from '../components/ui.js';
import { RestoreButton } from '../components/restore-dialog.js';

export function FirstRun() {
  const { status, busy, error, create, openOther, clearError } = useSession();
  const [p1, setP1] = useState('');
  const [p2, setP2] = useState('');
  // zxcvbn-ts's dictionaries load on this screen only (a lazy chunk); main applies the same rule on create.
  const estimator = usePassphraseEstimator();
  useEffect(() => {
    void usePassphraseEstimator.getState().load();
  }, []);
  if (!status) return null;
  const verdict = estimator.estimate ? passphraseStrength(p1, status.minPassphraseLength, estimator.estimate) : null;
  const mismatch = p2 !== '' && p1 !== p2;
  const canCreate = verdict !== null && verdict.problem === null && p1 === p2 && !busy;
  return (
    <main className="gate">
      <h1>Welcome to CertDesk</h1>
      <p>CertDesk keeps your certificate authorities’ private keys in an encrypted vault on this computer. Create the vault, or open one you already have.</p>
      <form noValidate
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (canCreate) void create(p1);
        }}
      >
        <h2>Create a vault</h2>
        <p className="hint">
          It will be saved as <code>{status.vaultPath}</code>.
        </p>
        <TextField label="Passphrase" type="password" value={p1} onChange={setP1} autoFocus autoComplete="new-password" hint={`At least ${status.minPassphraseLength} characters, and “good” or “strong” below. A few unrelated words are easy to remember and hard to guess.`} />
        <div className="meter" aria-live="polite">
          <meter min={0} max={4} low={2} high={3} optimum={4} value={verdict?.score ?? 0} aria-label="Passphrase strength" />
          <span className={`strength ${(verdict?.strength ?? 'too short').replace(' ', '-')}`}>{verdict ? `Strength: ${verdict.strength} (about ${verdict.bits} bits)` : estimator.error ? `The strength check did not load: ${estimator.error}` : 'Checking the strength…'}</span>
        </div>
        {verdict && p1 !== '' && verdict.problem && <p className="hint" data-testid="passphrase-problem">{verdict.problem}</p>}
        <TextField label="Passphrase again" type="password" value={p2} onChange={setP2} autoComplete="new-password" problem={mismatch ? 'The two passphrases differ.' : null} />
        <p className="hint">
          Why unlocking takes a moment: the passphrase goes through {status.kdf.alg} with {status.kdf.memoryMiB} MiB of memory (about {status.kdf.approxSeconds.toFixed(1)} s here), so each guess
          costs an attacker the same. There is no recovery: a lost passphrase means a lost vault — keep a copy in your safe.
        </p>
        <ErrorBanner error={error} onClose={clearError} />
        <div className="actions">
          <button type="submit" className="primary" disabled={!canCreate}>
            {busy ? <Busy label="Creating…" /> : 'Create vault'}
          </button>
          <button type="button" onClick={() => void openOther()}>
            Open an existing vault…
          </button>
        </div>
      </form>
      {/* Outside the form above: the restore dialog has a form of its own. */}
      <div className="actions">
        <RestoreButton label="Restore from a backup…" />
      </div>
    </main>
  );
}

export function Unlock() {
  const { status, busy, error, unlock, openOther, clearError } = useSession();
  const [p, setP] = useState('');
  if (!status) return null;
  return (
    <main className="gate">
      <h1>CertDesk is locked</h1>
      <form noValidate
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          if (p && !busy) void unlock(p).then((ok) => ok && setP(''));
        }}
      >
        <p>
          Vault <code>{status.vaultPath}</code>
        </p>
        <TextField label="Passphrase" type="password" value={p} onChange={setP} autoFocus autoComplete="current-password" />
        <ErrorBanner error={error} onClose={clearError} />
        <div className="actions">
          <button type="submit" className="primary" disabled={!p || busy}>
            {busy ? <Busy label="Unlocking…" /> : 'Unlock'}
          </button>
          <button type="button" onClick={() => void openOther()}>
            Open another vault…
          </button>
        </div>
      </form>
      {/* Outside the form above: the restore dialog has a form of its own. */}
      <div className="actions">
        <RestoreButton label="Restore from a backup…" />
      </div>
    </main>
  );
}
