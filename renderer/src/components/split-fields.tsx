// The fields of a new K-of-N split (issue 15), for the CA panel's "Put under two-officer control…" and its
// re-issue, and for a backup restorable with officers' shares: per holder a name and their own passphrase typed
// twice (the vault's strength rule, said beside it), K, and the folder for the share files (dialog.chooseFolder).
// The draft's logic lives in state/officer-split.ts; the estimator loads on first use (state/passphrase.ts).
import { useEffect, useId } from 'react';
import { addHolder, holderLabel, MAX_HOLDERS, passphraseProblem, removeHolder, setHolder, type SplitDraft } from '../state/officer-split.js';
import { usePassphraseEstimator } from '../state/passphrase.js';
import { useSession } from '../state/session.js';
import { FolderField, TextField } from './ui.js';

/** The vault's minimum passphrase length and the strength estimator, loaded once `active` (its dictionaries are large). */
export function useSplitRule(active = true): { minLength: number; estimate: ReturnType<typeof usePassphraseEstimator.getState>['estimate'] } {
  const minLength = useSession((s) => s.status?.minPassphraseLength ?? 10);
  const estimate = usePassphraseEstimator((s) => s.estimate);
  useEffect(() => {
    if (active) void usePassphraseEstimator.getState().load();
  }, [active]);
  return { minLength, estimate };
}

/** `what`: what the shares open, for the hint ("signing with CA “Root”", "restoring this backup"). */
export function SplitFields({ draft, onChange, what }: { draft: SplitDraft; onChange: (d: SplitDraft) => void; what: string }) {
  const { minLength, estimate } = useSplitRule();
  const n = draft.holders.length;
  return (
    <div className="split">
      <p className="hint">
        Each officer types their own passphrase (at least {minLength} characters, “good” or “strong”; no two alike): it seals their share file. Any K of the {n} shares, each
        with its passphrase, are needed for {what}.
      </p>
      {draft.holders.map((h, i) => (
        <HolderFields key={h.id} draft={draft} index={i} onChange={onChange} problem={passphraseProblem(draft, i, minLength, estimate)} />
      ))}
      {n < MAX_HOLDERS && (
        <button type="button" onClick={() => onChange(addHolder(draft))}>
          Add an officer
        </button>
      )}
      <TextField label={`Shares needed (K, 2 to ${n})`} type="number" value={draft.threshold} onChange={(v) => onChange({ ...draft, threshold: v })} />
      <FolderField label="Folder for the share files" value={draft.folder} onChange={(v) => onChange({ ...draft, folder: v })} dialogTitle="Choose the folder for the share files" hint="Each officer’s share file and printable sheet are written here: hand them over, then delete them here." />
    </div>
  );
}

function HolderFields({ draft, index, onChange, problem }: { draft: SplitDraft; index: number; onChange: (d: SplitDraft) => void; problem: string | null }) {
  const h = draft.holders[index]!;
  const legendId = useId();
  const set = (change: Parameters<typeof setHolder>[2]) => onChange(setHolder(draft, h.id, change));
  return (
    <fieldset className="share" aria-labelledby={legendId}>
      <legend id={legendId}>Officer {index + 1}</legend>
      <TextField label="Name" value={h.name} onChange={(v) => set({ name: v })} />
      <TextField label={`${holderLabel(h, index)}’s share passphrase`} type="password" value={h.passphrase} onChange={(v) => set({ passphrase: v })} autoComplete="new-password" problem={problem} />
      <TextField
        label={`${holderLabel(h, index)}’s share passphrase again`}
        type="password"
        value={h.again}
        onChange={(v) => set({ again: v })}
        autoComplete="new-password"
        problem={h.again !== '' && h.again !== h.passphrase ? 'The two entries differ.' : null}
      />
      {draft.holders.length > 2 && (
        <button type="button" className="link" onClick={() => onChange(removeHolder(draft, h.id))}>
          Remove officer {index + 1}
        </button>
      )}
    </fieldset>
  );
}
