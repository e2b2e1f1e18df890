// Sign a CSR: drop it, see what it asks for, choose the profile (which decides the usages and which
// names are kept), see preflight's findings beside the fields, override an error with a reason, sign, and
// save the certificate with its chain.
import { useEffect, useState } from 'react';
import { Findings, OverrideField } from '../components/findings.js';
import { useLoad } from '../components/use-load.js';
import { Busy, ErrorBanner, FileDrop, FolderField, Notice, ReasonButton, SelectField, TextField } from '../components/ui.js';
import { defaultCa } from '../state/default-ca.js';
import { canSign } from '../state/cas.js';
import { call } from '../state/api.js';
import { useCsrSign } from '../state/csr-sign.js';
import { SAN_LABELS } from '../state/prefill.js';
import { day, KEY_LABELS } from '../state/format.js';

export function CsrScreen() {
  const cas = useLoad(() => call('ca.list', {}), []);
  const profiles = useLoad(() => call('profile.list', {}), []);
  const s = useCsrSign();
  const [folder, setFolder] = useState('');
  const issuing = (cas.data ?? []).filter(canSign);
  useEffect(() => () => useCsrSign.getState().reset(), []);
  // The only or most recent CA that can sign (default-ca.ts) is chosen once a request is read, so the plan (and
  // what the profile leaves out) shows before signing.
  const preselect = cas.data ? defaultCa(cas.data) : null;
  useEffect(() => {
    if (s.file && preselect !== null) void useCsrSign.getState().preselectCa([preselect]);
  }, [s.file, preselect]);
  const { info, plan, done } = s;
  const findings = plan?.findings ?? [];
  // Beside their fields: the validity's below the days, the rest (names, usages, CA) below the plan.
  const daysFindings = findings.filter((f) => f.field === 'days');
  const otherFindings = findings.filter((f) => f.field !== 'days');
  const blocker = s.blocker();
  return (
    <div className="wizard">
      <section className="step">
        <FileDrop label="Certificate signing request (PKCS#10, PEM or DER)" accept=".csr,.req,.pem,.der" current={s.file?.name} onFile={(f) => void s.load(f)} />
        {info && (
          <dl className="props" aria-label="What the request asks for">
            <dt>Subject</dt>
            <dd>
              <code>{info.subject || '(empty)'}</code>
            </dd>
            <dt>Names</dt>
            <dd>{info.sans.map((x) => `${SAN_LABELS[x.type]}: ${x.value}`).join(', ') || 'none'}</dd>
            <dt>Key</dt>
            <dd>{KEY_LABELS[info.keyType]}</dd>
            <dt>Signature</dt>
            <dd>valid (the requester holds the key)</dd>
          </dl>
        )}
        <ErrorBanner error={s.error} />
      </section>
      {info && !done && (
        <section className="step">
          <div className="two-col">
            <SelectField label="Issuing CA" value={s.ca ?? ''} options={issuing.map((c) => ({ value: c.id, label: c.name }))} onChange={(ca) => void s.set({ ca })} />
            <SelectField
              label="Profile"
              value={s.profile}
              options={(profiles.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              onChange={(profile) => void s.set({ profile })}
              hint="The profile decides key usages, which requested names are kept and what preflight checks."
            />
          </div>
          {plan && (
            <dl className="props" aria-label="What the certificate will carry">
              <dt>Subject</dt>
              <dd>
                <code>{plan.subject || '(empty)'}</code>
              </dd>
              <dt>Names</dt>
              <dd>{plan.sans.map((x) => `${SAN_LABELS[x.type]}: ${x.value}`).join(', ') || 'none'}</dd>
            </dl>
          )}
          {plan && plan.droppedSubject.length > 0 && <Notice kind="warning">The {s.profile} profile decides the subject; left out of it: {plan.droppedSubject.join(', ')}</Notice>}
          {plan && plan.droppedSans.length > 0 && <Notice kind="warning">Will be left out (the profile does not allow them): {plan.droppedSans.map((x) => `${SAN_LABELS[x.type]}: ${x.value}`).join(', ')}</Notice>}
          <Findings items={otherFindings} label="Preflight findings" />
          <TextField label="Valid for (days, empty: the profile’s)" value={s.days} onChange={(days) => void s.set({ days })} type="number" />
          <Findings items={daysFindings} label="Preflight findings for the validity" />
          <OverrideField findings={findings} value={s.override} onChange={s.setOverride} action="Sign" />
          <FolderField label="Save to folder" value={folder} onChange={setFolder} dialogTitle="Where to save the certificate" />
          <div className="actions end">
            <ReasonButton
              className="primary"
              reasons={[...(s.ca === null ? [issuing.length === 0 && cas.data ? 'There is no CA that can sign: create one under Certificate authorities.' : 'Choose the issuing CA.'] : []), ...(folder ? [] : ['Choose the folder to save to.']), ...(blocker ? [blocker] : [])]}
              busy={s.busy}
              onClick={() => void s.sign(folder)}
            >
              {s.busy ? <Busy label="Signing…" /> : 'Sign'}
            </ReasonButton>
          </div>
        </section>
      )}
      {done && (
        <section className="step">
          <Notice kind="success">
            Signed certificate {done.certificate.id} for {done.certificate.holder}, valid until {day(done.certificate.notAfter)}. Saved with its chain to <code>{done.file}</code>.
          </Notice>
          {done.droppedSubject.length > 0 && <Notice kind="warning">Left out of the subject (the profile decides it): {done.droppedSubject.join(', ')}</Notice>}
          {done.droppedSans.length > 0 && <Notice kind="warning">Left out (the profile does not allow them): {done.droppedSans.map((x) => `${SAN_LABELS[x.type]}: ${x.value}`).join(', ')}</Notice>}
          <Findings items={done.findings} label="Preflight findings recorded with the certificate" />
        </section>
      )}
    </div>
  );
}
