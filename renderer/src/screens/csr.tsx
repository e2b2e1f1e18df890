// Sign a CSR: drop it, see what it asks for, choose the profile (which decides the usages and which
// names are kept), sign, and save the certificate with its chain.
import { useEffect, useState } from 'react';
import type { CsrInspection } from '../../../shared/api.js';
import type { CertificateRecord, ProfileId, San } from '../../../shared/domain.js';
import { useLoad } from '../components/use-load.js';
import { Busy, ErrorBanner, FileDrop, FolderField, Notice, SelectField, TextField } from '../components/ui.js';
import { canSign } from '../state/cas.js';
import { call, messageOf } from '../state/api.js';
import { day, KEY_LABELS } from '../state/format.js';

export function CsrScreen() {
  const cas = useLoad(() => call('ca.list', {}), []);
  const profiles = useLoad(() => call('profile.list', {}), []);
  const [csr, setCsr] = useState<{ name: string; base64: string } | null>(null);
  const [info, setInfo] = useState<CsrInspection | null>(null);
  const [ca, setCa] = useState<number | ''>('');
  const [profile, setProfile] = useState<ProfileId>('server');
  const [days, setDays] = useState('');
  const [folder, setFolder] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<{ certificate: CertificateRecord; droppedSans: San[]; droppedSubject: string[]; file: string } | null>(null);
  const [plan, setPlan] = useState<CsrInspection['plan']>(null);
  const issuing = (cas.data ?? []).filter(canSign);

  // Before signing: what the certificate will carry with this CA and profile, and what is left out.
  useEffect(() => {
    setPlan(null);
    if (!csr || !info || ca === '') return;
    let current = true;
    call('csr.inspect', { csr: csr.base64, ca, profile })
      .then((r) => current && setPlan(r.plan))
      .catch((e: unknown) => current && setError(messageOf(e)));
    return () => {
      current = false;
    };
  }, [csr, info, ca, profile]);

  const load = async (f: { name: string; base64: string }) => {
    setCsr(f);
    setInfo(null);
    setDone(null);
    setError(null);
    try {
      setInfo(await call('csr.inspect', { csr: f.base64 }));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const sign = async () => {
    if (!csr || ca === '') return;
    setBusy(true);
    setError(null);
    try {
      setDone(await call('csr.sign', { csr: csr.base64, ca, profile, days: days ? Number(days) : undefined, folder }));
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  };
  return (
    <div className="wizard">
      <section className="step">
        <FileDrop label="Certificate signing request (PKCS#10, PEM or DER)" accept=".csr,.req,.pem,.der" current={csr?.name} onFile={(f) => void load(f)} />
        {info && (
          <dl className="props" aria-label="What the request asks for">
            <dt>Subject</dt>
            <dd>
              <code>{info.subject || '(empty)'}</code>
            </dd>
            <dt>Names</dt>
            <dd>{info.sans.map((s) => `${s.type}: ${s.value}`).join(', ') || 'none'}</dd>
            <dt>Key</dt>
            <dd>{KEY_LABELS[info.keyType]}</dd>
            <dt>Signature</dt>
            <dd>valid (the requester holds the key)</dd>
          </dl>
        )}
        <ErrorBanner error={error} />
      </section>
      {info && !done && (
        <section className="step">
          <div className="two-col">
            <SelectField label="Issuing CA" value={ca} options={issuing.map((c) => ({ value: c.id, label: c.name }))} onChange={setCa} />
            <SelectField label="Profile" value={profile} options={(profiles.data ?? []).map((p) => ({ value: p.id, label: p.name }))} onChange={setProfile} hint="The profile decides key usages and which requested names are kept." />
          </div>
          {plan && (
            <dl className="props" aria-label="What the certificate will carry">
              <dt>Subject</dt>
              <dd>
                <code>{plan.subject || '(empty)'}</code>
              </dd>
              <dt>Names</dt>
              <dd>{plan.sans.map((s) => `${s.type}: ${s.value}`).join(', ') || 'none'}</dd>
            </dl>
          )}
          {plan && plan.droppedSubject.length > 0 && <Notice kind="warning">The {profile} profile decides the subject; left out of it: {plan.droppedSubject.join(', ')}</Notice>}
          {plan && plan.droppedSans.length > 0 && <Notice kind="warning">Will be left out (the profile does not allow them): {plan.droppedSans.map((s) => `${s.type}: ${s.value}`).join(', ')}</Notice>}
          <TextField label="Valid for (days, empty: the profile’s)" value={days} onChange={setDays} type="number" />
          <FolderField label="Save to folder" value={folder} onChange={setFolder} dialogTitle="Where to save the certificate" />
          <div className="actions end">
            <button type="button" className="primary" disabled={busy || ca === '' || !folder} onClick={() => void sign()}>
              {busy ? <Busy label="Signing…" /> : 'Sign'}
            </button>
          </div>
        </section>
      )}
      {done && (
        <section className="step">
          <Notice kind="success">
            Signed certificate {done.certificate.id} for {done.certificate.holder}, valid until {day(done.certificate.notAfter)}. Saved with its chain to <code>{done.file}</code>.
          </Notice>
          {done.droppedSubject.length > 0 && <Notice kind="warning">Left out of the subject (the profile decides it): {done.droppedSubject.join(', ')}</Notice>}
          {done.droppedSans.length > 0 && <Notice kind="warning">Left out (the profile does not allow them): {done.droppedSans.map((s) => `${s.type}: ${s.value}`).join(', ')}</Notice>}
        </section>
      )}
    </div>
  );
}
