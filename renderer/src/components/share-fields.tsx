// One officer's share in a form (issue 15): their share file (read here, or its text pasted) and their own share
// passphrase, with main's refusal about this share shown on it. The unlock dialog (ca-unlock-dialog.tsx) and the
// re-issue dialog (quorum-split-dialog.tsx) both list K of these.
import { useId } from 'react';
import type { ShareRow } from '../state/ca-unlock.js';
import { FileDrop, Field, TextField } from './ui.js';

/** The fields of share `index` + 1; `onRemove` absent: the row cannot be removed (no more than K rows). */
export function ShareFields({ row, index, onChange, onRemove }: { row: ShareRow; index: number; onChange: (change: Partial<Omit<ShareRow, 'id'>>) => void; onRemove?: () => void }) {
  const legendId = useId();
  const problemId = useId();
  return (
    <fieldset className="share" aria-labelledby={legendId} aria-describedby={row.problem ? problemId : undefined}>
      <legend id={legendId}>Share {index + 1}</legend>
      <FileDrop label="Share file" accept=".certdesk-share,text/plain" current={row.fileName} onFile={(f) => onChange({ fileName: f.name, text: f.text })} />
      <Field label="or the share’s text, pasted">
        {(id, describedBy) => (
          <textarea
            id={id}
            rows={4}
            spellCheck={false}
            aria-describedby={describedBy}
            placeholder="-----BEGIN CERTDESK SHARE-----"
            value={row.text}
            onChange={(e) => onChange({ text: e.target.value, fileName: null })}
          />
        )}
      </Field>
      <TextField label="Share passphrase" type="password" value={row.passphrase} onChange={(v) => onChange({ passphrase: v })} autoComplete="off" />
      {row.problem && (
        <div className="problem" id={problemId} role="alert">
          {row.problem}
        </div>
      )}
      {onRemove && (
        <button type="button" className="link" onClick={onRemove}>
          Remove share {index + 1}
        </button>
      )}
    </fieldset>
  );
}
