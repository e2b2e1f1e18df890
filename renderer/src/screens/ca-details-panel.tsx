// The Authorities screen's details panel (issue 14): a CA certificate's details and extensions, and its
// lifecycle actions (Save as…, Export with key…, Renew…, Revoke… for an intermediate, CRL settings…). After
// each action the panel shows the CA as the action's answer has it, and the list reloads.
import { focusWhenShown } from '../components/focus.js';
import { useState } from 'react';
import type { CaDetails, CaRecord } from '../../../shared/domain.js';
import { useLoad } from '../components/use-load.js';
import { ErrorBanner, Modal, Notice, StatusBadge } from '../components/ui.js';
import { call } from '../state/api.js';
import { canRevokeCa } from '../state/cas.js';
import { day, fullThumb, KEY_LABELS } from '../state/format.js';
import { QuorumProps } from './ca-quorum-props.js';
import { CrlSettingsDialog, RenewCaDialog, RevokeCaDialog } from './ca-change-dialogs.js';
import { ExportCaKeyDialog, SaveCaDialog } from './ca-save-dialogs.js';

type Action = 'save' | 'export-key' | 'renew' | 'revoke' | 'crl' | null;

const TITLES: Record<Exclude<Action, null>, (name: string) => string> = {
  save: (n) => `Save the certificate of ${n}`,
  'export-key': (n) => `Export ${n} with its private key`,
  renew: (n) => `Renew ${n}`,
  revoke: (n) => `Revoke ${n}`,
  crl: (n) => `CRL settings of ${n}`,
};

export function CaDetailsPanel({ id, onSelect, onClose, onChanged }: { id: number; onSelect: (id: number) => void; onClose: () => void; onChanged: () => void }) {
  const { data, error, reload } = useLoad(() => call('ca.get', { id }), [id]);
  const [action, setAction] = useState<Action>(null);
  const [note, setNote] = useState<string | null>(null);
  const done = (message: string, select?: number) => {
    setAction(null);
    setNote(message);
    // The dialog is gone: keyboard focus goes back to the panel, which shows what the action did.
    focusWhenShown('ca-details-title');
    onChanged();
    if (select !== undefined && select !== id) onSelect(select);
    else reload();
  };
  const ca = data?.ca;
  return (
    <aside className="panel" aria-labelledby="ca-details-title">
      <header className="dialog-head">
        <h2 id="ca-details-title" tabIndex={-1}>{ca ? ca.name : 'Certificate authority'}</h2>
        <button type="button" className="icon" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      <ErrorBanner error={error} />
      {data && ca && (
        <>
          <div className="actions wrap">
            <button type="button" onClick={() => setAction('save')}>
              Save as…
            </button>
            <button type="button" onClick={() => setAction('export-key')} disabled={!ca.hasKey || data.tokenKey !== null}>
              Export with key…
            </button>
            <button type="button" onClick={() => setAction('renew')} disabled={!ca.hasKey || data.state === 'retired' || data.state === 'revoked'}>
              Renew…
            </button>
            {ca.issuerCaId !== null && (
              <button type="button" className="danger" onClick={() => setAction('revoke')} disabled={!canRevokeCa(ca)}>
                Revoke…
              </button>
            )}
            <button type="button" onClick={() => setAction('crl')}>
              CRL settings…
            </button>
          </div>
          {note && <Notice kind="success">{note}</Notice>}
          <CaProperties d={data} onSelect={onSelect} />
          {action && (
            <Modal title={TITLES[action](ca.name)} open onClose={() => setAction(null)}>
              <ActionForm action={action} d={data} done={done} />
            </Modal>
          )}
        </>
      )}
    </aside>
  );
}

function ActionForm({ action, d, done }: { action: Exclude<Action, null>; d: CaDetails; done: (message: string, select?: number) => void }) {
  const ca = d.ca;
  switch (action) {
    case 'save':
      return <SaveCaDialog ca={ca} onDone={(s) => done(`Saved ${s.certificates} certificate(s) to ${s.file}.`)} />;
    case 'export-key':
      return <ExportCaKeyDialog ca={ca} onDone={(s) => done(`Exported CA “${s.ca}” with its private key to ${s.file}. Keep the file offline.`)} />;
    case 'renew':
      return (
        <RenewCaDialog
          ca={ca}
          onDone={(r) =>
            done(
              r.newKey ? `“${r.ca.name}” now issues with a new key; “${r.previous.name}” is retired and still signs CRLs.` : `Renewed: new certificate, serial ${r.ca.serial}, valid until ${day(r.ca.notAfter)}.`,
              r.ca.id,
            )
          }
        />
      );
    case 'revoke':
      return <RevokeCaDialog ca={ca} parent={d.issuerCaName} onDone={(r) => done(`Revoked “${r.name}”. Publish the CRLs so ${d.issuerCaName ? `“${d.issuerCaName}”` : 'its parent'}’s CRL lists it.`)} />;
    case 'crl':
      return <CrlSettingsDialog ca={ca} onDone={(r) => done(`CRL settings saved: ${r.crlUrl ?? 'no address'}, each CRL valid ${r.crlDays} days.`)} />;
  }
}

function CaProperties({ d, onSelect }: { d: CaDetails; onSelect: (id: number) => void }) {
  const ca: CaRecord = d.ca;
  const bc = d.basicConstraints;
  return (
    <dl className="props">
      <dt>State</dt>
      <dd data-testid="ca-state">
        <StatusBadge status={ca.status} /> {d.stateText}
      </dd>
      {d.successor && (
        <>
          <dt>Successor</dt>
          <dd>
            <button type="button" className="link" onClick={() => onSelect(d.successor!.id)}>
              {d.successor.name}
            </button>
          </dd>
        </>
      )}
      {d.predecessor && (
        <>
          <dt>Took over from</dt>
          <dd>
            <button type="button" className="link" onClick={() => onSelect(d.predecessor!.id)}>
              {d.predecessor.name}
            </button>
          </dd>
        </>
      )}
      <dt>Subject</dt>
      <dd className="wrap">{ca.subject}</dd>
      <dt>Issuer</dt>
      <dd className="wrap">
        {d.issuer} {d.issuerCaName ? `(${d.issuerCaName})` : ca.issuerCaId === null ? '(self-signed root)' : ''}
      </dd>
      <dt>Serial</dt>
      <dd className="mono wrap" data-testid="ca-serial">
        {ca.serial}
      </dd>
      <dt>Valid</dt>
      <dd>
        {day(ca.notBefore)} – {day(ca.notAfter)}
      </dd>
      <dt>Key</dt>
      <dd data-testid="ca-key-place">
        {KEY_LABELS[ca.keyType]}
        {d.tokenKey ? ' (on a PKCS#11 token: it never leaves it)' : ca.hasKey ? ' (kept in the vault)' : ' (not in this vault)'}
      </dd>
      {d.tokenKey && (
        <>
          <dt>Token</dt>
          <dd data-testid="ca-token">
            “{d.tokenKey.token}” (serial {d.tokenKey.serial}), key “{d.tokenKey.keyLabel}”
          </dd>
          <dt>PKCS#11 module</dt>
          <dd className="mono wrap">{d.tokenKey.module}</dd>
        </>
      )}
      {ca.hasKey && !d.tokenKey && <QuorumProps id={ca.id} version={d} />}
      <dt>Basic constraints</dt>
      <dd data-testid="ca-basic-constraints">{bc ? `CA${bc.ca ? '' : ': no'}, path length ${bc.pathLength ?? 'unlimited'}${bc.critical ? ', critical' : ''}` : '—'}</dd>
      <dt>Key usage</dt>
      <dd>{d.keyUsage.join(', ') || '—'}</dd>
      <dt>Subject key ID</dt>
      <dd className="mono wrap">{d.subjectKeyId ?? '—'}</dd>
      <dt>Authority key ID</dt>
      <dd className="mono wrap">{d.authorityKeyId ?? '—'}</dd>
      <dt>CRL distribution point</dt>
      <dd className="wrap">{d.crlDistributionPoints.join(', ') || (ca.issuerCaId === null ? '— (a root carries none)' : '— (its issuer had no CRL address when it was signed)')}</dd>
      <dt>CRL it publishes</dt>
      <dd className="wrap" data-testid="ca-crl-settings">
        {ca.crlUrl ?? 'no address'} · each valid {ca.crlDays} days · {ca.lastCrlAt ? `last ${day(ca.lastCrlAt)} (number ${ca.crlNumber})` : 'none published yet'}
      </dd>
      {d.earlierCertificates.length > 0 && (
        <>
          <dt>Earlier certificates</dt>
          <dd>{d.earlierCertificates.map((e) => `${e.serial.slice(0, 12)}… until ${day(e.notAfter)} (${e.status})`).join('; ')}</dd>
        </>
      )}
      <dt>SHA-1</dt>
      <dd className="mono wrap">{fullThumb(ca.sha1)}</dd>
      <dt>SHA-256</dt>
      <dd className="mono wrap">{fullThumb(ca.sha256)}</dd>
      <dt>Extensions</dt>
      <dd>
        <ul className="plain">
          {d.extensions.map((e, i) => (
            <li key={i}>
              <strong>{e.name}</strong>
              {e.critical ? ' (critical)' : ''}
              <pre className="wrap">{e.value}</pre>
            </li>
          ))}
        </ul>
      </dd>
    </dl>
  );
}
