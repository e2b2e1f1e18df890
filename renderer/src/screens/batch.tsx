// The batch wizard: pick or drop a CSV, see every bad row at once, then issue with a progress bar, time
// left and a stop button; the summary says where the bundles and the password list went. The CA is preselected
// (the only or most recent that can sign); a disabled button says beside it what is missing; after "Check the
// rows" keyboard focus lands on the result's summary.
import { useEffect } from 'react';
import type { Profile } from '../../../shared/domain.js';
import { DevicePicker } from '../components/device-picker.js';
import { focusWhenShown } from '../components/focus.js';
import { defaultCa } from '../state/default-ca.js';
import { useLoad } from '../components/use-load.js';
import { Busy, ErrorBanner, FileDrop, FolderField, Notice, ReasonButton, SaveFileField, SelectField } from '../components/ui.js';
import { canSign } from '../state/cas.js';
import { call } from '../state/api.js';
import { useBatch } from '../state/batch.js';
import { findingsSummary, rowFindings } from '../state/batch-rows.js';
import { duration } from '../state/format.js';

export function BatchScreen() {
  const b = useBatch();
  const cas = useLoad(() => call('ca.list', {}), []);
  const profiles = useLoad(() => call('profile.list', {}), []);
  const issuing = (cas.data ?? []).filter(canSign);
  const preselect = cas.data ? defaultCa(cas.data) : null;
  useEffect(() => {
    if (useBatch.getState().ca === null && preselect !== null) useBatch.getState().set({ ca: preselect });
  }, [preselect]);
  const job = b.job;
  if (job) return <BatchProgress />;
  const checkWhy = [...(b.file ? [] : ['Choose the CSV file first.']), ...(b.ca === null ? [cas.data && issuing.length === 0 ? 'There is no CA that can issue: create one under Certificate authorities.' : 'Choose the issuing CA.'] : [])];
  const startWhy = [...(b.folder ? [] : ['Choose the export folder for the bundles.']), ...(b.passwordsFile ? [] : ['Choose where to save the password list.'])];
  const valid = b.check && b.check.problems.length === 0;
  return (
    <div className="wizard">
      <section className="step">
        <h2>1. The CSV file</h2>
        <p className="hint">
          One row per certificate. Columns by header: <code>name</code>, <code>email</code>, <code>upn</code>, <code>dns</code>, <code>ip</code>, <code>uri</code>, <code>device</code>, <code>alias</code>,{' '}
          <code>days</code>, <code>phone</code>, <code>description</code>. Excel’s “CSV UTF-8” with <code>;</code> works as saved.
        </p>
        <div className="two-col">
          <SelectField label="Issuing CA" value={b.ca ?? ''} options={issuing.map((c) => ({ value: c.id, label: c.name }))} onChange={(ca) => b.set({ ca })} />
          <SelectField label="Certificate type" value={b.profile} options={(profiles.data ?? []).map((p: Profile) => ({ value: p.id, label: p.name }))} onChange={(profile) => b.set({ profile })} />
        </div>
        <FileDrop label="CSV file" accept=".csv,text/csv" current={b.file?.name} onFile={(f) => b.set({ file: { name: f.name, base64: f.base64 } })} />
        <div className="actions">
          <ReasonButton reasons={checkWhy} busy={b.busy} onClick={() => void b.runCheck().then(() => focusWhenShown('batch-summary'))}>
            {b.busy && !b.check ? <Busy label="Checking…" /> : 'Check the rows'}
          </ReasonButton>
        </div>
        <ErrorBanner error={b.error} />
      </section>
      {b.check && (
        <section className="step" aria-labelledby="rows-title">
          <h2 id="rows-title">2. Rows</h2>
          {(b.check.problems.length > 0 || b.check.warnings.length > 0) && (
            <>
              <Notice kind="warning" id={b.check.problems.length > 0 ? 'batch-summary' : undefined}>
                {findingsSummary(b.check)}
              </Notice>
              <table className="data" aria-label="Problems and warnings">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Column</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Problem or warning</th>
                  </tr>
                </thead>
                <tbody>
                  {rowFindings(b.check).map((p, i) => (
                    <tr key={i} className={`finding ${p.severity}`} data-testid={`batch-${p.severity}`}>
                      <td>{p.line}</td>
                      <td>{p.column ?? '—'}</td>
                      <td>{p.severity === 'error' ? 'Error' : 'Warning'}</td>
                      <td>{p.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {b.check.problems.length === 0 && (
            <>
              <Notice kind="success" id="batch-summary">
                All {b.check.total} rows are valid{b.check.warnings.length ? ' (see the warnings above)' : ''}.</Notice>
              <table className="data" aria-label="Rows to issue">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Holder</th>
                    <th scope="col">Names</th>
                    <th scope="col">Alias</th>
                    <th scope="col">Days</th>
                  </tr>
                </thead>
                <tbody>
                  {b.check.preview.slice(0, 50).map((r) => (
                    <tr key={r.line}>
                      <td>{r.line}</td>
                      <td>{r.name}</td>
                      <td>{r.sans.map((s) => s.value).join(', ')}</td>
                      <td>{r.alias ?? ''}</td>
                      <td>{r.days}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {b.check.total > 50 && <p className="hint">…and {b.check.total - 50} more.</p>}
            </>
          )}
        </section>
      )}
      {valid && (
        <section className="step">
          <h2>3. Delivery</h2>
          <DevicePicker value={b.devices} onChange={(devices) => b.set({ devices })} fallback={{ encryption: b.encryption, why: 'unless you tick the devices' }} />
          <FolderField label="Export folder for the bundles" value={b.folder} onChange={(folder) => b.set({ folder })} dialogTitle="Choose the export folder" />
          <SaveFileField
            label="Password list (CSV)"
            value={b.passwordsFile}
            onChange={(passwordsFile) => b.set({ passwordsFile })}
            defaultName="pfx-passwords.csv"
            dialogTitle="Save the password list"
            hint="Keep it apart from the bundles; it must not be inside the export folder."
          />
          <div className="actions end">
            <ReasonButton className="primary" reasons={startWhy} busy={b.busy} onClick={() => void b.start()}>
              Issue {b.check!.total} certificates
            </ReasonButton>
          </div>
        </section>
      )}
    </div>
  );
}

function BatchProgress() {
  const b = useBatch();
  const job = b.job!;
  const pct = job.total ? Math.round((job.done / job.total) * 100) : 0;
  return (
    <section className="step" aria-labelledby="progress-title">
      <h2 id="progress-title">{job.state === 'running' ? 'Issuing…' : job.state === 'done' ? 'Batch finished' : job.state === 'stopped' ? 'Batch stopped' : 'Batch failed'}</h2>
      <progress max={job.total || 1} value={job.done} aria-label="Batch progress" data-testid="batch-progress" />
      <p aria-live="polite">
        {job.done} of {job.total} ({pct}%){job.state === 'running' ? ` — ${duration(job.etaSeconds)}` : ''}
        {job.current ? ` — ${job.current}` : ''}
      </p>
      {job.state === 'running' && (
        <button type="button" onClick={() => void b.cancel()}>
          Stop after the rows in progress
        </button>
      )}
      {job.state === 'done' && (
        <Notice kind="success">
          Issued {job.issued} certificate(s){job.alreadyDone ? `; ${job.alreadyDone} were done by an earlier run` : ''}. Bundles: <code>{job.outDir}</code>. Passwords: <code>{job.passwordsFile}</code> —
          keep that file apart from the bundles.
        </Notice>
      )}
      {job.state === 'stopped' && <Notice kind="warning">Stopped with {job.total - job.done} row(s) to go. Run the same file again to resume; nothing is issued twice.</Notice>}
      {job.error && <ErrorBanner error={job.error.message} />}
      {job.state !== 'running' && (
        <div className="actions end">
          <button type="button" className="primary" onClick={() => b.reset()}>
            New batch
          </button>
        </div>
      )}
    </section>
  );
}
