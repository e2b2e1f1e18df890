// The "unlock a CA to sign" dialog (issue 15): shown when an action was refused because its CA needs its officers
// (state/ca-unlock-needs.ts). For a CA under K-of-N control: "CA “Root” needs 2 of 3 officers", one row per
// officer (their share file, or its text pasted, and their own share passphrase); main unlocks the CA for this
// session (ca.presentShares) and the action the officer asked for is made again. A refusal shows on the share it
// is about. For a CA whose key is on a PKCS#11 token: "Log in to token “X” for CA “Y”", the token's PIN (never
// shown back, cleared after every attempt); main logs in for this session (ca.tokenLogin) and a wrong PIN shows
// here. While mounted it is the asker api.ts's call() uses; unmounted (the vault locked), waiting calls fail.
import { useEffect } from 'react';
import { setCaUnlockAsker } from '../state/api.js';
import { missingFor, useCaUnlock, type ShareRow } from '../state/ca-unlock.js';
import { needTitle, type CaUnlockNeed } from '../state/ca-unlock-needs.js';
import { ShareFields } from './share-fields.js';
import { Busy, ErrorBanner, Modal, ReasonButton, TextField } from './ui.js';

export function CaUnlockDialog() {
  const need = useCaUnlock((s) => s.queue[0]?.need ?? null);
  const cancel = useCaUnlock((s) => s.cancel);
  useEffect(() => {
    setCaUnlockAsker(
      (n) => useCaUnlock.getState().ask(n),
      () => useCaUnlock.getState().signedAfterUnlock(),
    );
    return () => {
      setCaUnlockAsker(null);
      useCaUnlock.getState().forget();
    };
  }, []);
  if (!need) return null;
  return (
    <Modal title={needTitle(need)} open onClose={cancel} wide>
      <UnlockForm need={need} />
    </Modal>
  );
}

/** The form for the kind of unlock: one switch on the need's kind. */
function UnlockForm({ need }: { need: CaUnlockNeed }) {
  switch (need.kind) {
    case 'quorum':
      return <SharesForm need={need} />;
    case 'token':
      return <PinForm need={need} />;
  }
}

function PinForm({ need }: { need: Extract<CaUnlockNeed, { kind: 'token' }> }) {
  const { pin, error, busy, setPin, tokenLogin, cancel } = useCaUnlock();
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (pin !== '') void tokenLogin();
      }}
    >
      <p>
        CA “{need.ca}” signs with its key on token “{need.token}”: the key never leaves the token. Type the token’s PIN; CertDesk stays logged in to the
        token until the vault locks, then does what you asked. The PIN is not stored.
      </p>
      <TextField label="Token PIN" type="password" value={pin} onChange={setPin} autoFocus autoComplete="off" />
      <ErrorBanner error={error} />
      <div className="actions end">
        <button type="button" onClick={cancel}>
          Cancel
        </button>
        <ReasonButton className="primary" reasons={busy || pin !== '' ? [] : ['Type the token’s PIN.']} busy={busy} onClick={() => void tokenLogin()}>
          {busy ? <Busy label="Logging in to the token…" /> : 'Log in and continue'}
        </ReasonButton>
      </div>
    </form>
  );
}

function SharesForm({ need }: { need: Extract<CaUnlockNeed, { kind: 'quorum' }> }) {
  const { rows, error, busy, addRow, setRow, removeRow, presentShares, cancel } = useCaUnlock();
  const missing = missingFor(rows);
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (missing.length === 0) void presentShares();
      }}
    >
      <p>
        Signing with CA “{need.ca}” needs the shares of {need.k} of its {need.n} officers: no one of them can sign with it alone. Each officer adds their share
        (the file from their stick, or its text pasted) and types their own share passphrase. CertDesk keeps the CA unlocked until the vault locks, then
        does what you asked.
      </p>
      {rows.map((row, i) => (
        <ShareFields key={row.id} row={row} index={i} onChange={(change) => setRow(row.id, change)} onRemove={rows.length > need.k ? () => removeRow(row.id) : undefined} />
      ))}
      {rows.length < need.n && (
        <button type="button" onClick={addRow}>
          Add another officer’s share
        </button>
      )}
      <ErrorBanner error={error} />
      <div className="actions end">
        <button type="button" onClick={cancel}>
          Cancel
        </button>
        <ReasonButton className="primary" reasons={busy ? [] : missing} busy={busy} onClick={() => void presentShares()}>
          {busy ? <Busy label="Checking the shares…" /> : 'Unlock and continue'}
        </ReasonButton>
      </div>
    </form>
  );
}
