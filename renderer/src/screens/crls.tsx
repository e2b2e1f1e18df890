// Revocation lists: every CA's CRL published to a folder at once (DER, PEM, and the combined file nginx
// and Apache want), with the date by which they must be published again. With no CA yet, it says so and
// offers to create one.
import { focusWhenShown } from '../components/focus.js';
import { useState } from 'react';
import { EmptyState } from '../components/empty-state.js';
import { useNav } from '../state/nav.js';
import type { PublishedCrls } from '../../../shared/api.js';
import { useLoad } from '../components/use-load.js';
import { Busy, ErrorBanner, FolderField, Notice, ReasonButton } from '../components/ui.js';
import { call, messageOf } from '../state/api.js';
import { dateTime, day } from '../state/format.js';

export function CrlScreen() {
  const cas = useLoad(() => call('ca.list', {}), []);
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<PublishedCrls | null>(null);
  const go = useNav((n) => n.go);
  const withKey = (cas.data ?? []).filter((c) => c.hasKey);
  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await call('crl.publish', { folder }));
      // The button was disabled while it worked: focus goes to what it did.
      focusWhenShown('crl-published');
      cas.reload();
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  };
  if (cas.data && withKey.length === 0) {
    return (
      <div>
        <EmptyState title="No certificate authority yet" testId="crls-empty" actions={[{ label: 'Create a CA', onClick: () => go('authorities') }]}>
          Revocation lists are published for the CAs whose keys are in this vault. Create a root CA (and an issuing CA under it) first; its CRL can be published here
          right after.
        </EmptyState>
        <ErrorBanner error={cas.error} />
      </div>
    );
  }
  return (
    <div>
      <table className="data" aria-label="CRL status per CA">
        <thead>
          <tr>
            <th scope="col">CA</th>
            <th scope="col">Last published</th>
            <th scope="col">Next update</th>
            <th scope="col">CRL number</th>
          </tr>
        </thead>
        <tbody>
          {withKey.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                <td>{c.lastCrlAt ? dateTime(c.lastCrlAt) : 'never'}</td>
                <td>{c.nextCrlUpdate ? day(c.nextCrlUpdate) : '—'}</td>
                <td>{c.crlNumber}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <section className="step">
        <h2>Publish</h2>
        <FolderField label="Folder" value={folder} onChange={setFolder} dialogTitle="Where to publish the CRLs" hint="Copy its files to the web server that serves the CRL addresses, or point nginx’s ssl_crl at crl-chain.pem." />
        <div className="actions">
          <ReasonButton className="primary" reasons={folder ? [] : ['Choose the folder to publish to.']} busy={busy} onClick={() => void publish()}>
            {busy ? <Busy label="Publishing…" /> : 'Publish all CRLs'}
          </ReasonButton>
        </div>
        <ErrorBanner error={error ?? cas.error} />
        {result && (
          <Notice kind="success" id="crl-published">
            Published {result.crls.length} CRL(s) to <code>{result.folder}</code>: {result.crls.map((c) => `${c.ca} (number ${c.crlNumber}, ${c.entries} revoked, next update ${day(c.nextUpdate)})`).join('; ')}. Combined file:{' '}
            <code>{result.combinedFile}</code>. Publish again before <strong>{day(result.publishBy)}</strong>.
          </Notice>
        )}
      </section>
    </div>
  );
}
