// The recipients directory: search the people and devices certificates were issued to (the full-text index),
// open one to see its kind, contact details, Windows SID and account and its certificates, and edit them (the
// SID and account checked by main as at issue; an error shows beside its field).
import { useEffect } from 'react';
import { ErrorBanner, Notice, TextField } from '../components/ui.js';
import { useNav } from '../state/nav.js';
import { day } from '../state/format.js';
import { useRecipients, type RecipientField } from '../state/recipients.js';

export function RecipientsScreen() {
  const s = useRecipients();
  useEffect(() => {
    void useRecipients.getState().setSearch(useRecipients.getState().search);
  }, []);
  return (
    <div>
      <div className="filters">
        <TextField label="Search recipients" value={s.search} onChange={(v) => void s.setSearch(v)} placeholder="name, e-mail, phone, account" />
      </div>
      <ErrorBanner error={s.error} />
      <table className="data" aria-label="Recipients">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">E-mail</th>
            <th scope="col">Account</th>
            <th scope="col">SID</th>
          </tr>
        </thead>
        <tbody>
          {s.matches.map((r) => (
            <tr key={r.id} aria-selected={s.open?.recipient.id === r.id}>
              <td>
                <button type="button" className="link" onClick={() => void s.select(r.id)}>
                  {r.name}
                </button>
              </td>
              <td>{r.kind}</td>
              <td>{r.email ?? ''}</td>
              <td>{r.account ?? ''}</td>
              <td className="mono small">{r.sid ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {s.matches.length === 0 && <p className="muted">No recipients match.</p>}
      {s.open && <RecipientPanel />}
    </div>
  );
}

function RecipientPanel() {
  const s = useRecipients();
  const go = useNav((n) => n.go);
  const d = s.open!;
  const r = d.recipient;
  const problem = (f: RecipientField) => (s.problem?.field === f ? s.problem.message : null);
  return (
    <section className="details" aria-label={`Recipient ${r.name}`}>
      <h2>{r.name}</h2>
      <p>
        {r.kind === 'device' ? 'Device' : 'Person'}; its account is {d.accountKind === 'device' ? 'a computer account (its name ends in $)' : 'a user account'}.
      </p>
      {d.sidFromCertificate && (
        <Notice kind="warning">
          <span data-testid="sid-from-certificate">
            SID {d.sidFromCertificate.sid} from certificate {d.sidFromCertificate.certificateId}: not stored with the recipient.
          </span>{' '}
          <button type="button" disabled={s.saving} onClick={() => void s.save(true)}>
            Store this SID
          </button>
        </Notice>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void s.save();
        }}
      >
        <TextField label="E-mail" value={s.form.email} onChange={(email) => s.edit({ email })} problem={problem('email')} />
        <TextField label="Phone" value={s.form.phone} onChange={(phone) => s.edit({ phone })} problem={problem('phone')} />
        <TextField label="Description" value={s.form.description} onChange={(description) => s.edit({ description })} problem={problem('description')} />
        <TextField label="Windows SID" value={s.form.sid} onChange={(sid) => s.edit({ sid })} placeholder="S-1-5-21-…" problem={problem('sid')} />
        <TextField
          label="Account name"
          value={s.form.account}
          onChange={(account) => s.edit({ account })}
          placeholder={d.accountKind === 'device' ? 'LAPTOP17$' : 'asmith'}
          problem={problem('account')}
        />
        <button type="submit" disabled={s.saving}>
          Save
        </button>
      </form>
      {s.note && <Notice kind="success">{s.note}</Notice>}
      <h3>Certificates</h3>
      <table className="data" aria-label="Certificates of the recipient">
        <thead>
          <tr>
            <th scope="col">ID</th>
            <th scope="col">Profile</th>
            <th scope="col">Status</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {d.certificates.map((c) => (
            <tr key={c.id}>
              <td>
                <button type="button" className="link" onClick={() => go('certificates', c.id)}>
                  {c.id}
                </button>
              </td>
              <td>{c.profile ?? ''}</td>
              <td>{c.status}</td>
              <td>{day(c.notAfter)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
