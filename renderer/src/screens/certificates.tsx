// Certificates: a virtualised table that stays fast with 100,000 rows (only visible pages are fetched),
// search and filters, and a details panel with every property and the actions.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { Handover } from '../../../shared/api.js';
import { PROFILE_IDS } from '../../../shared/domain.js';
import { certificateActions } from '../../../shared/cert-actions.js';
import { RevokeDialogBody } from '../components/revoke-dialog.js';
import { useCertDetails } from '../state/cert-details.js';
import { HandoverPanel } from '../components/handover.js';
import { AdMappingPanel } from './ad-mapping-panel.js';
import { useLoad } from '../components/use-load.js';
import { Busy, ErrorBanner, FolderField, Modal, Notice, SelectField, StatusBadge, TextField } from '../components/ui.js';
import { call, messageOf } from '../state/api.js';
import { sortOf, useCertificates, type CertFilter, type CertSort } from '../state/certificates.js';
import { day, fullThumb, KEY_LABELS, PROFILE_LABELS, shortThumb, SOURCE_LABELS } from '../state/format.js';
import { reasonLabel } from '../state/revoke-reasons.js';
import { useNav } from '../state/nav.js';
import { RenewForm } from './renew-form.js';
import { ExportAgainForm } from './export-again-form.js';
import { CertificatesEmpty } from './certificates-empty.js';
import { SAN_LABELS } from '../state/prefill.js';
import { focusWhenShown } from '../components/focus.js';

const ROW_HEIGHT = 36;
/** The table's columns, with the sort (shared/domain.ts CERT_SORTS) a click on the header asks for. */
const COLUMNS: { label: string; sort?: CertSort }[] = [
  { label: 'Holder', sort: 'holder' },
  { label: 'Alias' },
  { label: 'Type' },
  { label: 'Status', sort: 'status' },
  { label: 'CA', sort: 'ca' },
  { label: 'Issued', sort: 'issued' },
  { label: 'Expires', sort: 'expiry' },
  { label: 'SHA-256' },
];

export function CertificatesScreen() {
  const store = useCertificates();
  const selected = useNav((s) => s.certificateId);
  const go = useNav((s) => s.go);
  const cas = useLoad(() => call('ca.list', {}), []);
  const [search, setSearch] = useState(store.filter.search ?? '');
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    store.setFilter(store.filter);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  // Search as typed, a quarter second after the last key.
  useEffect(() => {
    const t = setTimeout(() => {
      if ((store.filter.search ?? '') !== search) store.setFilter({ ...store.filter, search: search || undefined });
    }, 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);

  const total = store.total ?? 0;
  const virtual = useVirtualizer({ count: total, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  // The rows in view (with the overscan) go to the store, which fetches their pages first and drops the
  // ones scrolled past; a new filter starts at the top, where its first page is.
  useEffect(() => {
    store.ensureRows(first, last);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [first, last, store.generation]);
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [store.filter]);

  const setFilter = (patch: Partial<CertFilter>) => store.setFilter({ ...store.filter, ...patch });
  const sorted = sortOf(store.filter);
  return (
    <div className={`certificates${selected ? ' with-panel' : ''}`}>
      <div className="filters" role="search">
        <TextField label="Search" value={search} onChange={setSearch} placeholder="holder, e-mail, alias, serial, thumbprint" />
        <SelectField
          label="Status"
          value={store.filter.status ?? 'any'}
          options={[{ value: 'any', label: 'Any' }, ...(['valid', 'expired', 'revoked'] as const).map((s) => ({ value: s, label: s }))]}
          onChange={(v) => setFilter({ status: v === 'any' ? undefined : v })}
        />
        <SelectField label="CA" value={store.filter.ca ?? 0} options={[{ value: 0, label: 'Any' }, ...(cas.data ?? []).map((c) => ({ value: c.id, label: c.name }))]} onChange={(v) => setFilter({ ca: v || undefined })} />
        <SelectField label="Type" value={store.filter.profile ?? 'any'} options={[{ value: 'any', label: 'Any' }, ...PROFILE_IDS.map((p) => ({ value: p, label: PROFILE_LABELS[p] }))]} onChange={(v) => setFilter({ profile: v === 'any' ? undefined : v })} />
        <TextField
          label="Expiring within (days)"
          type="number"
          value={store.filter.expiringWithinDays === undefined ? '' : String(store.filter.expiringWithinDays)}
          onChange={(v) => setFilter({ expiringWithinDays: v === '' ? undefined : Math.max(0, Math.floor(Number(v))) })}
        />
      </div>
      <p className="muted" aria-live="polite" data-testid="cert-count">
        {store.total === null ? 'Loading…' : `${store.total.toLocaleString()} certificate${store.total === 1 ? '' : 's'}`}
      </p>
      <ErrorBanner error={store.error} />
      {store.total === 0 && <CertificatesEmpty filter={store.filter} onClear={() => { setSearch(''); store.setFilter({ sort: store.filter.sort, direction: store.filter.direction }); }} />}
      <div className="vtable" role="table" aria-label="Certificates" aria-rowcount={total + 1} hidden={store.total === 0}>
        <div role="rowgroup" className="vhead">
          <div role="row" className="vrow" aria-rowindex={1}>
            {COLUMNS.map((c) => {
              const on = c.sort !== undefined && sorted.sort === c.sort;
              const aria = on ? (sorted.direction === 'asc' ? 'ascending' : 'descending') : c.sort ? 'none' : undefined;
              return (
                <div role="columnheader" key={c.label} aria-sort={aria}>
                  {c.sort ? (
                    <button type="button" className="sort" onClick={() => store.sortBy(c.sort!)}>
                      {c.label}
                      <span aria-hidden="true">{on ? (sorted.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                    </button>
                  ) : (
                    c.label
                  )}
                </div>
              );
            })}
          </div>
        </div>
        <div ref={scroller} className="vbody" role="rowgroup">
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {items.map((v) => {
              const r = store.row(v.index);
              return (
                <div
                  key={v.key}
                  role="row"
                  aria-rowindex={v.index + 2}
                  tabIndex={0}
                  className={`vrow${r && r.id === selected ? ' selected' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                  onClick={() => r && go('certificates', r.id)}
                  onKeyDown={(e) => {
                    if ((e.key === 'Enter' || e.key === ' ') && r) {
                      e.preventDefault();
                      go('certificates', r.id);
                    }
                  }}
                >
                  {r ? (
                    <>
                      <div role="cell">{r.holder}</div>
                      <div role="cell">{r.alias ?? ''}</div>
                      <div role="cell">{r.profile ? PROFILE_LABELS[r.profile] : SOURCE_LABELS[r.source]}</div>
                      <div role="cell">
                        <StatusBadge status={r.status} />
                      </div>
                      <div role="cell">{r.issuerName ?? ''}</div>
                      <div role="cell" className="date">{day(r.issuedAt)}</div>
                      <div role="cell" className="date">{day(r.notAfter)}</div>
                      <div role="cell" className="mono">
                        {shortThumb(r.sha256)}
                      </div>
                    </>
                  ) : (
                    <div role="cell" className="muted">
                      Loading…
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {selected !== null && <DetailsPanel id={selected} onClose={() => go('certificates', null)} onChanged={() => store.reload()} />}
    </div>
  );
}

type Action = 'export' | 'renew' | 'revoke' | 'delete' | null;

function DetailsPanel({ id, onClose, onChanged }: { id: number; onClose: () => void; onChanged: () => void }) {
  // Loaded once per certificate; each action's answer re-renders it (state/cert-details.ts).
  const { data, error, note, actionError, setNote, setActionError } = useCertDetails();
  useEffect(() => {
    void useCertDetails.getState().load(id);
  }, [id]);
  const [action, setAction] = useState<Action>(null);
  const [handover, setHandover] = useState<Handover | null>(null);
  const copyIis = async () => {
    setActionError(null);
    try {
      const { oneToOne } = await call('cert.iisMapping', { id });
      await call('clipboard.write', { text: oneToOne });
      setNote('The IIS one-to-one mapping is on the clipboard.');
    } catch (e) {
      setActionError(messageOf(e));
    }
  };
  const c = data?.certificate.id === id ? data.certificate : undefined;
  const can = c ? certificateActions(c) : null;
  return (
    <aside className="panel" aria-labelledby="details-title">
      <header className="dialog-head">
        <h2 id="details-title" tabIndex={-1}>{c ? c.holder : 'Certificate'}</h2>
        <button type="button" className="icon" aria-label="Close details" onClick={onClose}>
          ×
        </button>
      </header>
      <ErrorBanner error={error} />
      {data && c && can && (
        <>
          <div className="actions wrap">
            <button type="button" onClick={() => setAction('export')} disabled={!can.export}>
              Export bundle…
            </button>
            <button type="button" onClick={() => setAction('renew')} disabled={!can.renew}>
              Renew…
            </button>
            <button type="button" onClick={() => setAction('revoke')} disabled={!can.revoke}>
              Revoke…
            </button>
            {can.releaseHold && (
              <button
                type="button"
                onClick={() =>
                  void useCertDetails
                    .getState()
                    .releaseHold()
                    .then((ok) => {
                      // The button goes away with the hold: focus to the panel's heading, not the page body.
                      focusWhenShown('details-title');
                      if (ok) onChanged();
                    })
                }
              >
                Release hold
              </button>
            )}
            <button type="button" onClick={() => void copyIis()}>
              Copy IIS mapping
            </button>
            <button type="button" className="danger" onClick={() => setAction('delete')}>
              Delete…
            </button>
          </div>
          {note && <Notice kind="success">{note}</Notice>}
          <ErrorBanner error={actionError} />
          {!data.exportable && c.status === 'valid' && <p className="hint">{c.hasKey ? '' : 'Its private key is not in the vault, so no PFX can be made again (export the certificate from the bundle, or renew).'}</p>}
          <dl className="props">
            <dt>Status</dt>
            <dd>
              <StatusBadge status={c.status} /> {c.revocationReason ? `(${reasonLabel(c.revocationReason)}, ${day(c.revokedAt)})` : ''}
            </dd>
            <dt>Subject</dt>
            <dd className="wrap">{c.subject}</dd>
            <dt>Names</dt>
            <dd>{c.sans.map((s) => `${SAN_LABELS[s.type]}: ${s.value}`).join(', ') || '—'}</dd>
            <dt>Recipient</dt>
            <dd>{c.recipient ? [c.recipient.name, c.recipient.email, c.recipient.phone, c.recipient.description].filter(Boolean).join(' · ') : '—'}</dd>
            {c.recipient && (c.recipient.sid || c.recipient.account) && (
              <>
                <dt>Windows account</dt>
                <dd data-testid="recipient-windows">
                  {c.recipient.account ? <code>{c.recipient.account}</code> : 'no account name'} · SID {c.recipient.sid ? <code>{c.recipient.sid}</code> : 'not given'}
                </dd>
              </>
            )}
            <dt>Type</dt>
            <dd>
              {c.profile ? PROFILE_LABELS[c.profile] : '—'} ({SOURCE_LABELS[c.source]})
            </dd>
            <dt>Issuer</dt>
            <dd>{c.issuerName}</dd>
            <dt>Chain</dt>
            <dd>
              <ol className="chain">
                {data.chain.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
            </dd>
            <dt>Valid</dt>
            <dd>
              <span className="nowrap">{day(c.notBefore)}</span> – <span className="nowrap">{day(c.notAfter)}</span>
            </dd>
            <dt>Serial</dt>
            <dd className="mono">{c.serial}</dd>
            <dt>Key</dt>
            <dd>
              {KEY_LABELS[c.keyType]}
              {c.hasKey ? ', kept in the vault' : ''}
            </dd>
            <dt>SHA-256</dt>
            <dd className="mono wrap">{fullThumb(c.sha256)}</dd>
            <dt>SHA-1</dt>
            <dd className="mono wrap">{fullThumb(c.sha1)}</dd>
            {c.renewedFrom !== null && (
              <>
                <dt>Renews</dt>
                <dd>certificate {c.renewedFrom}</dd>
              </>
            )}
            {c.supersededBy !== null && (
              <>
                <dt>Renewed by</dt>
                <dd>certificate {c.supersededBy}</dd>
              </>
            )}
          </dl>
          <details>
            <summary>Extensions ({data.extensions.length})</summary>
            <dl className="props">
              {data.extensions.map((e, i) => (
                <div key={i}>
                  <dt>
                    {e.name}
                    {e.critical ? ' (critical)' : ''}
                  </dt>
                  <dd className="pre">{e.value}</dd>
                </div>
              ))}
            </dl>
          </details>
          {c.kind === 'end-entity' && <AdMappingPanel id={id} status={c.status} />}
          <details>
            <summary>PEM</summary>
            <pre className="pem">{c.pem}</pre>
          </details>
        </>
      )}
      <Modal title="Export the bundle again" open={action === 'export'} onClose={() => setAction(null)}>
        <ExportAgainForm
          key={`export-${id}-${action === 'export'}-${data ? 'loaded' : 'loading'}`}
          defaultEncryption={data?.defaultEncryption ?? 'modern'}
          lastDelivery={data?.lastDelivery ?? null}
          onDone={(h) => {
            setAction(null);
            // The export's answer carries the certificate as it is now: the panel shows that.
            useCertDetails.getState().apply(h.certificate);
            setHandover(h);
          }}
          run={(d) => call('cert.export', { id, ...d })}
        />
      </Modal>
      <Modal title="Renew" open={action === 'renew'} onClose={() => setAction(null)}>
        {action === 'renew' && (
          <RenewForm
            id={id}
            defaultEncryption={data?.defaultEncryption ?? 'modern'}
            lastDelivery={data?.lastDelivery ?? null}
            onDone={(h) => {
              setAction(null);
              useCertDetails.getState().renewed(h);
              setHandover(h);
              onChanged();
            }}
          />
        )}
      </Modal>
      <Modal title="Revoke" open={action === 'revoke'} onClose={() => setAction(null)}>
        {action === 'revoke' && c && (
          <RevokeDialogBody
            certificate={c}
            onDone={() => {
              setAction(null);
              // Keyboard focus goes back to the panel, which shows the answer, not to the page body.
              focusWhenShown('details-title');
              onChanged();
            }}
          />
        )}
      </Modal>
      <Modal title="Delete from the lists" open={action === 'delete'} onClose={() => setAction(null)}>
        <p>
          The certificate leaves every list; its record, audit history and serial stay, and a revoked one stays on its CA’s CRL.
          {c?.status === 'valid' ? ' It is still valid: revoke it too if it must stop working.' : ''}
        </p>
        <div className="actions end">
          <button
            type="button"
            className="danger"
            onClick={() =>
              void call('cert.delete', { ids: [id] }).then(
                () => {
                  setAction(null);
                  onChanged();
                  onClose();
                },
                (e: unknown) => setActionError(messageOf(e)),
              )
            }
          >
            Delete
          </button>
        </div>
      </Modal>
      <Modal title="Hand over" open={handover !== null} onClose={() => setHandover(null)} wide>
        {handover && <HandoverPanel handover={handover} onDone={() => setHandover(null)} />}
      </Modal>
    </aside>
  );
}

