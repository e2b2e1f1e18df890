// The CA details panel's "Two-officer control" entry (issue 15): whether the CA's key is under K-of-N control,
// its holders, K, N and when the shares were made, whether it is unlocked now and by whose shares, and who signed
// with it lately (ca.quorum, from the audit log); "Put under two-officer control…" or "Re-issue the shares…"
// (quorum-split-dialog.tsx), after which it reloads.
import { useState } from 'react';
import { QuorumSplitButton } from '../components/quorum-split-dialog.js';
import { useCaUnlock } from '../state/ca-unlock.js';
import { call } from '../state/api.js';
import { dateTime } from '../state/format.js';
import { useLoad } from '../components/use-load.js';

const names = (list: string[]) => (list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`);

/** How many shares may be lost (N - K) without losing the CA, in words. */
function spareText(spare: number): string {
  return spare <= 0 ? 'every share is needed: losing one loses the CA' : `up to ${spare} share${spare === 1 ? '' : 's'} can be lost without losing it`;
}

/** A <dt>/<dd> pair for the panel's property list; `version` changes when the panel reloads its CA. */
export function QuorumProps({ id, version }: { id: number; version: unknown }) {
  const unlocks = useCaUnlock((s) => s.unlocks);
  const [splits, setSplits] = useState(0);
  const { data: q, error } = useLoad(() => call('ca.quorum', { id }), [id, version, unlocks, splits]);
  const button = q && <QuorumSplitButton id={id} ca={q.ca} current={q.underQuorum ? { k: q.k ?? 2, n: q.n ?? 2 } : null} onDone={() => setSplits((n) => n + 1)} />;
  return (
    <>
      <dt>Two-officer control</dt>
      <dd data-testid="ca-quorum">
        {error && <span className="problem">{error}</span>}
        {q && !q.underQuorum && (
          <>
            Off: the vault passphrase alone unlocks this key. <span className="hint">K of N officers’ shares can be made necessary to sign with it.</span>
            <div className="actions">{button}</div>
          </>
        )}
        {q?.underQuorum && (
          <>
            <div data-testid="ca-quorum-holders">
              {q.k} of {q.n} officers: {q.holders.join(', ')}
              {q.setAt ? ` · shares made ${dateTime(q.setAt)}` : ''}
            </div>
            <div data-testid="ca-quorum-state">
              {q.unlockedBy ? `Unlocked now with the shares of ${names(q.unlockedBy)}, until the vault locks.` : `Locked: signing with it asks for ${q.k} officers’ shares.`}
            </div>
            <div data-testid="ca-quorum-uses">
              {q.lastUses.length ? `Last used: ${q.lastUses.map((u) => `${dateTime(u.at)} (${names(u.holders)})`).join('; ')}.` : 'Not used since its shares were made.'}
            </div>
            <div className="hint">
              No single officer, and no copy of the vault with its passphrase, can sign with this CA; {spareText((q.n ?? 0) - (q.k ?? 0))}. K officers together can re-issue the
              shares (new holders, K or N); the current shares then stop working.
            </div>
            <div className="actions">{button}</div>
          </>
        )}
      </dd>
    </>
  );
}
