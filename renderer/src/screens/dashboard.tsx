// The dashboard: counts by status (each tile opens the Certificates list filtered to what it counts), what
// expires when (per CA), CRLs due, the latest audit entries. Arriving with focus lost (the vault was just
// created or unlocked), keyboard focus goes to the next thing to do: creating a CA, or the first tile.
import { useEffect } from 'react';
import { BackupReminder } from '../components/backup-reminder.js';
import { ExpiryChart } from '../components/expiry-chart.js';
import { focusIsLost, focusWhenShown } from '../components/focus.js';
import { useLoad } from '../components/use-load.js';
import { ErrorBanner } from '../components/ui.js';
import { call } from '../state/api.js';
import { dateTime, day } from '../state/format.js';
import { useCertificates, type CertFilter } from '../state/certificates.js';
import { useNav } from '../state/nav.js';

/** What each certificate tile opens: the Certificates list with the filter that gives the tile's count (dashboard-counts.ts). */
export const TILE_FILTERS = {
  valid: { status: 'valid' },
  expiring: { expiringWithinDays: 30 },
  expired: { status: 'expired' },
  revoked: { status: 'revoked' },
} as const satisfies Record<string, CertFilter>;

export function DashboardScreen() {
  const { data, error } = useLoad(() => call('dashboard', {}), []);
  const go = useNav((s) => s.go);
  const noCa = data?.counts.cas === 0;
  useEffect(() => {
    // The shell gives focus to the heading 30 ms after a screen change when it was lost; data that arrives later
    // (a loaded machine) still moves it on from there to the next thing to do.
    const onFallback = document.activeElement?.id === 'screen-title';
    if (data && (focusIsLost() || onFallback)) focusWhenShown(noCa ? 'dashboard-start' : 'tile-valid');
  }, [data, noCa]);
  const open = (filter: CertFilter) => {
    // The sort the officer chose stays; the search and other filters give way to the tile's.
    const { sort, direction } = useCertificates.getState().filter;
    useCertificates.getState().setFilter({ sort, direction, ...filter });
    go('certificates');
  };
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <p>Loading…</p>;
  const c = data.counts;
  return (
    <div className="dashboard">
      <ul className="stats" aria-label="Certificates by status">
        <li>
          <button type="button" id="tile-valid" onClick={() => open(TILE_FILTERS.valid)}>
            <strong>{c.valid}</strong> valid
          </button>
        </li>
        <li className={c.expiringIn30Days ? 'warn' : undefined}>
          <button type="button" onClick={() => open(TILE_FILTERS.expiring)}>
            <strong>{c.expiringIn30Days}</strong> expire within 30 days
          </button>
        </li>
        <li>
          <button type="button" onClick={() => open(TILE_FILTERS.expired)}>
            <strong>{c.expired}</strong> expired
          </button>
        </li>
        <li>
          <button type="button" onClick={() => open(TILE_FILTERS.revoked)}>
            <strong>{c.revoked}</strong> revoked
          </button>
        </li>
        <li>
          <button type="button" onClick={() => go('authorities')}>
            <strong>{c.cas}</strong> certificate authorities
          </button>
        </li>
      </ul>
      <BackupReminder />
      {c.cas === 0 && (
        <div className="banner info" role="status">
          Start by creating a root CA and an issuing CA.{' '}
          <button type="button" className="link" id="dashboard-start" onClick={() => go('authorities')}>
            Certificate authorities
          </button>
        </div>
      )}
      <section aria-labelledby="expiry-title">
        <h2 id="expiry-title">What expires when</h2>
        <ExpiryChart expiry={data.expiry} />
      </section>
      <div className="two-col">
        <section aria-labelledby="crl-title">
          <h2 id="crl-title">Revocation lists</h2>
          <ul className="plain">
            {data.crls.map((x) => (
              <li key={x.ca} className={`crl ${x.state}`}>
                <strong>{x.ca}</strong>:{' '}
                {x.state === 'never' ? 'never published' : x.state === 'overdue' ? `overdue since ${day(x.nextUpdate)}` : x.state === 'due' ? `due by ${day(x.nextUpdate)}` : `next by ${day(x.nextUpdate)}`}
              </li>
            ))}
            {data.crls.length === 0 && <li>No CA with a key in this vault yet.</li>}
          </ul>
          {data.crls.some((x) => x.state !== 'ok') && (
            <button type="button" onClick={() => go('crls')}>
              Publish CRLs…
            </button>
          )}
        </section>
        <section aria-labelledby="audit-title">
          <h2 id="audit-title">Latest activity</h2>
          <ul className="plain audit-mini">
            {data.audit.map((e) => (
              <li key={e.seq}>
                <span className="muted">{dateTime(e.at)}</span> {e.action}
                {e.target ? ` ${e.target}` : ''}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
