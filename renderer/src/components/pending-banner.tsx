// The banner above every screen when an earlier run committed work it did not deliver (it was killed, the
// stick was pulled, the disk filled): what is pending, and "Finish now". A finished bundle's hand-over, with
// its new password, follows here, once.
import { useEffect } from 'react';
import { useNav } from '../state/nav.js';
import { usePending } from '../state/pending.js';
import { focusWhenShown } from './focus.js';
import { HandoverPanel } from './handover.js';
import { Busy, ErrorBanner, Notice } from './ui.js';

export function PendingBanner() {
  const screen = useNav((s) => s.screen);
  const { items, result, busy, error, refresh, resume, abandon, handedOver, forget } = usePending();
  // Looked at whenever the officer changes screens, not polled: a poll would count as activity and keep the vault from locking itself.
  useEffect(() => {
    void refresh();
  }, [screen, refresh]);

  if (result) {
    const next = result.finished.find((f) => f.handover);
    return (
      <section className="pending-result" aria-labelledby="pending-result-title">
        <h2 id="pending-result-title" tabIndex={-1}>
          Interrupted work
        </h2>
        {result.finished.filter((f) => !f.handover).map((f) => (
          <Notice key={f.delivery.id} kind="success">
            Finished: {f.delivery.summary}
          </Notice>
        ))}
        {result.failed.map((f) => (
          <ErrorBanner key={f.delivery.id} error={`Not finished: ${f.delivery.summary}: ${f.message}`} />
        ))}
        {next?.handover ? (
          <HandoverPanel
            handover={next.handover}
            onDone={() => {
              handedOver(next.delivery.id);
              // Focus goes to the heading of what is left (the next hand-over, or the Done button under it), not the page body.
              focusWhenShown('pending-result-title');
            }}
          />
        ) : (
          <div className="actions end">
            <button type="button" onClick={() => forget()}>
              Done
            </button>
          </div>
        )}
      </section>
    );
  }
  if (items.length === 0) return <ErrorBanner error={error} />;
  return (
    <section className="banner warning pending" aria-labelledby="pending-title" data-testid="pending-banner">
      <div>
        <h2 id="pending-title" className="banner-title">
          {items.length === 1 ? 'One delivery was interrupted' : `${items.length} deliveries were interrupted`} and not finished
        </h2>
        <ul className="plain">
          {items.map((d) => (
            <li key={d.id}>
              {d.summary}{' '}
              <button type="button" className="link" disabled={busy} onClick={() => void abandon(d.id)} aria-label={`Abandon delivery ${d.id}`}>
                Abandon
              </button>
            </li>
          ))}
        </ul>
        <p className="hint">Finishing writes the files again; a bundle gets a new password, shown here once.</p>
        <ErrorBanner error={error} />
      </div>
      <button type="button" className="primary" disabled={busy} onClick={() => void resume()}>
        {busy ? <Busy label="Finishing…" /> : 'Finish now'}
      </button>
    </section>
  );
}
