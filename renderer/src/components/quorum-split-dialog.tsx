// "Put under two-officer control…" and "Re-issue the shares…" in the CA details panel (issue 15): the officers
// name the N holders, K, each holder's own passphrase and the folder for the share files; main splits the CA's
// key (ca.quorumSet, as certdesk quorum set) or, with K officers' current shares, makes a new split that retires
// the old shares (ca.quorumReissue, as certdesk quorum reissue). The answer lists the files written, never a share.
// Every passphrase is cleared after each attempt.
import { useState } from 'react';
import type { QuorumSplitView, SharesWritten } from '../../../shared/api.js';
import { call, messageOf } from '../state/api.js';
import { emptyRow, missingFor, placeRefusal, sharesOf, type ShareRow } from '../state/ca-unlock.js';
import { clearPassphrases, newSplitDraft, splitMissing, splitRequest, type SplitDraft } from '../state/officer-split.js';
import { ShareFields } from './share-fields.js';
import { SplitFields, useSplitRule } from './split-fields.js';
import { Busy, ErrorBanner, Modal, Notice, ReasonButton } from './ui.js';

/** The share files written, one line per holder (share file and printable sheet). */
export function WrittenShares({ written }: { written: SharesWritten }) {
  return (
    <ul data-testid="shares-written">
      {written.files.map((f) => (
        <li key={f.index}>
          {f.index}. {f.holder}: {f.share} (sheet: {f.sheet})
        </li>
      ))}
    </ul>
  );
}

/**
 * The panel's button and its dialog. `current`: the CA's split (K, N) when it is under control (re-issue), else
 * null (put under control). `onDone` is called when the dialog closes after a split was written (the panel reloads ca.quorum).
 */
export function QuorumSplitButton({ id, ca, current, onDone }: { id: number; ca: string; current: { k: number; n: number } | null; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [wrote, setWrote] = useState(false);
  // The panel reloads once the dialog closes: reloading while it shows the files written would unmount it.
  const close = () => {
    setOpen(false);
    if (wrote) {
      setWrote(false);
      onDone();
    }
  };
  const label = current ? 'Re-issue the shares…' : 'Put under two-officer control…';
  const title = current ? `Re-issue the shares of CA “${ca}”` : `Put CA “${ca}” under two-officer control`;
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        {label}
      </button>
      <Modal title={title} open={open} onClose={close} wide>
        <SplitForm id={id} ca={ca} current={current} onDone={() => setWrote(true)} onClose={close} />
      </Modal>
    </>
  );
}

function SplitForm({ id, ca, current, onDone, onClose }: { id: number; ca: string; current: { k: number; n: number } | null; onDone: () => void; onClose: () => void }) {
  const { minLength, estimate } = useSplitRule();
  const [draft, setDraft] = useState<SplitDraft>(newSplitDraft);
  const [rows, setRows] = useState<ShareRow[]>(() => Array.from({ length: current?.k ?? 0 }, emptyRow));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<QuorumSplitView | null>(null);
  const missing = [...(current ? missingFor(rows) : []), ...splitMissing(draft, minLength, estimate)];
  const submit = async () => {
    if (busy || missing.length > 0) return;
    setBusy(true);
    setError(null);
    const { shares, rowOfLabel } = sharesOf(rows);
    const req = { id, ...splitRequest(draft) };
    // Sent: the passphrases leave the form now, whatever main answers.
    setDraft(clearPassphrases(draft));
    setRows(rows.map((r) => ({ ...r, passphrase: '', problem: null })));
    try {
      setDone(current ? await call('ca.quorumReissue', { ...req, shares }) : await call('ca.quorumSet', req));
      onDone();
    } catch (e) {
      if (current) {
        const placed = placeRefusal(rows, rowOfLabel, e);
        setRows(placed.rows);
        setError(placed.error);
      } else setError(messageOf(e));
    } finally {
      for (const h of req.holders) h.passphrase = '';
      for (const s of shares) s.passphrase = '';
      setBusy(false);
    }
  };
  if (done) {
    return (
      <div>
        <Notice kind="success">
          CA “{done.ca}” is under {done.k}-of-{done.n} control{current ? '; the earlier shares no longer work' : ''}. Give each officer their own share file or sheet, then delete them here:
        </Notice>
        <WrittenShares written={done} />
        <div className="actions end">
          <button type="button" className="primary" onClick={onClose}>
            Done
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
        void submit();
      }}
    >
      {current ? (
        <>
          <p>
            A new split needs the current shares of {current.k} of the {current.n} officers. Once it is written, the current shares of CA “{ca}” stop working.
          </p>
          {rows.map((row, i) => (
            <ShareFields
              key={row.id}
              row={row}
              index={i}
              onChange={(change) => setRows(rows.map((r) => (r.id === row.id ? { ...r, ...change, problem: null } : r)))}
              onRemove={rows.length > current.k ? () => setRows(rows.filter((r) => r.id !== row.id)) : undefined}
            />
          ))}
          {rows.length < current.n && (
            <button type="button" onClick={() => setRows([...rows, emptyRow()])}>
              Add another officer’s share
            </button>
          )}
          <h3>The new shares</h3>
        </>
      ) : (
        <p>
          The CA’s key is split into one share per officer; signing with it then needs K of them, each with its officer’s passphrase. No single officer, and no copy of the vault with
          its passphrase, can sign with it any more.
        </p>
      )}
      <SplitFields draft={draft} onChange={setDraft} what={`signing with CA “${ca}”`} />
      <ErrorBanner error={error} />
      <div className="actions end">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <ReasonButton className="primary" reasons={busy ? [] : missing} busy={busy} onClick={() => void submit()}>
          {busy ? <Busy label="Writing the shares…" /> : current ? 'Re-issue the shares' : 'Put under control and write the shares'}
        </ReasonButton>
      </div>
    </form>
  );
}
