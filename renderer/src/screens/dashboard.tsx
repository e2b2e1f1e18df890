// The dashboard: counts by status, what expires when (per CA), CRLs due, the latest audit entries.
import { BackupReminder } from '../components/backup-reminder.js';
import { ExpiryChart } from '../components/expiry-chart.js';
import { useLoad } from '../components/use-load.js';
import { ErrorBanner } from '../components/ui.js';
import { call } from '../state/api.js';
import { dateTime, day } from '../state/format.js';
import { useNav } from '../state/nav.js';

export function DashboardScreen() {
  const { data, error } = useLoad(() => call('dashboard', {}), []);
  const go = useNav((s) => s.go);
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <p>Loading…</p>;
  const c = data.counts;
  return (
    <div className="dashboard">
      <ul className="stats" aria-label="Certificates by status">
        <li>
          <strong>{c.valid}</strong> valid
        </li>
        <li className={c.expiringIn30Days ? 'warn' : undefined}>
          <strong>{c.expiringIn30Days}</strong> expire within 30 days
        </li>
        <li>
          <strong>{c.expired}</strong> expired
        </li>
        <li>
          <strong>{c.revoked}</strong> revoked
        </li>
        <li>
          <strong>{c.cas}</strong> certificate authorities
        </li>
      </ul>
      <BackupReminder />
      {c.cas === 0 && (
        <div className="banner info" role="status">
          Start by creating a root CA and an issuing CA.{' '}
          <button type="button" className="link" onClick={() => go('authorities')}>
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
