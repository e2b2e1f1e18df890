// The issue wizard, one step per decision as in the consoles helpdesks know: type, recipient, names,
// key and validity, delivery, confirmation, and the hand-over with the password shown once.
import { useEffect, useState } from 'react';
import { ISSUE_MODES, type IssueMode } from '../../../shared/api.js';
import { KEY_TYPES, SAN_TYPES, type Profile, type Recipient, type SanType } from '../../../shared/domain.js';
import { describeDevices, pkcs12FormFor } from '../../../shared/devices.js';
import { DevicePicker } from '../components/device-picker.js';
import { HandoverPanel } from '../components/handover.js';
import { focusWhenShown } from '../components/focus.js';
import { useNav } from '../state/nav.js';
import { useLoad } from '../components/use-load.js';
import { Findings } from '../components/findings.js';
import { Busy, ErrorBanner, FolderField, Notice, SelectField, TextField } from '../components/ui.js';
import { canSign } from '../state/cas.js';
import { call } from '../state/api.js';
import { day, KEY_LABELS } from '../state/format.js';
import { blockers, findingsFor, ISSUE_STEPS, problemsFor, STEP_LABELS, useIssue } from '../state/issue.js';
import { SAN_LABELS } from '../state/prefill.js';

const MODE_TEXT: Record<IssueMode, { label: string; hint: string }> = {
  'per-user': { label: 'One certificate per user', hint: 'Each person gets their own certificate and password; revoking one affects no one else.' },
  'per-device': { label: 'One certificate per device', hint: 'Each phone, laptop or appliance gets its own; lost devices are revoked one by one.' },
  shared: { label: 'One certificate shared by all users', hint: '' },
};

export function IssueScreen() {
  const s = useIssue();
  const profiles = useLoad(() => call('profile.list', {}), []);
  const cas = useLoad(() => call('ca.list', {}), []);
  const profile = profiles.data?.find((p) => p.id === s.draft.profile);
  const issuing = (cas.data ?? []).filter(canSign);
  const { draft, delivery, step } = s;

  // Check the draft in main as it is typed (debounced), from the recipient step on.
  useEffect(() => {
    if (step === 'type' || step === 'finish') return;
    const t = setTimeout(() => void s.runCheck(), 250);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft, step]);

  // Leaving the screen while the hand-over shows forgets it, as Done does: the password is never shown twice.
  // (Checked once React has finished: a screen drawn again in place, as StrictMode does, is not a leave.)
  useEffect(
    () => () => {
      queueMicrotask(() => {
        if (useNav.getState().screen !== 'issue') useIssue.getState().leaveHandover();
      });
    },
    [],
  );

  useEffect(() => {
    if (draft.ca === null && issuing.length) s.update({ ca: issuing[issuing.length - 1]!.id });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [issuing.length]);

  const index = ISSUE_STEPS.indexOf(step);
  const blocked = blockers(s, step);
  const next = () => s.go(ISSUE_STEPS[index + 1]!);

  if (step === 'finish' && s.handover) {
    return (
      <HandoverPanel
        handover={s.handover}
        onDone={() => {
          s.reset();
          focusWhenShown('step-title');
        }}
      />
    );
  }
  return (
    <div className="wizard">
      <ol className="steps" aria-label="Steps">
        {ISSUE_STEPS.filter((x) => x !== 'finish').map((x, i) => (
          <li key={x} aria-current={x === step ? 'step' : undefined} className={i < index ? 'done' : undefined}>
            {i < index && !s.busy ? (
              // A completed step: its pill goes back to it (what was entered stays).
              <button type="button" onClick={() => s.go(x)}>
                {STEP_LABELS[x]}
              </button>
            ) : (
              STEP_LABELS[x]
            )}
          </li>
        ))}
      </ol>
      <form noValidate
        className="step"
        onSubmit={(e) => {
          e.preventDefault();
          if (blocked.length) return;
          if (step === 'confirm') void s.issue();
          else next();
        }}
      >
        <h2 id="step-title" tabIndex={-1}>
          {STEP_LABELS[step]}
        </h2>
        {step === 'type' && <TypeStep profiles={profiles.data ?? []} cas={issuing.map((c) => ({ value: c.id, label: `${c.name} (until ${day(c.notAfter)})` }))} />}
        {step === 'recipient' && <RecipientStep profile={profile} />}
        {step === 'names' && profile && <NamesStep profile={profile} />}
        {step === 'key' && profile && <KeyStep profile={profile} />}
        {step === 'delivery' && <DeliveryStep />}
        {step === 'confirm' && <ConfirmStep profile={profile} caName={issuing.find((c) => c.id === draft.ca)?.name ?? ''} />}
        {blocked.length > 0 && step !== 'type' && (
          <ul className="blockers" aria-live="polite">
            {blocked.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        )}
        <ErrorBanner error={s.error} />
        <div className="actions between">
          <button type="button" onClick={() => s.go(ISSUE_STEPS[index - 1]!)} disabled={index === 0 || s.busy}>
            Back
          </button>
          <span>{s.checking && <Busy label="Checking…" />}</span>
          <button type="submit" className="primary" disabled={blocked.length > 0 || s.busy}>
            {step === 'confirm' ? s.busy ? <Busy label="Issuing…" /> : 'Issue and export' : 'Next'}
          </button>
        </div>
        {(cas.error || profiles.error) && <ErrorBanner error={cas.error ?? profiles.error} />}
        {cas.data && issuing.length === 0 && <Notice kind="warning">There is no CA that can issue yet: create one under Certificate authorities.</Notice>}
      </form>
    </div>
  );
}

function TypeStep({ profiles, cas }: { profiles: Profile[]; cas: { value: number; label: string }[] }) {
  const s = useIssue();
  return (
    <>
      <fieldset className="choices">
        <legend>Certificate type</legend>
        {profiles.map((p) => (
          <label key={p.id}>
            <input type="radio" name="profile" checked={s.draft.profile === p.id} onChange={() => s.setProfile(p)} />
            <span>
              <strong>{p.name}</strong> <span className="muted">— {p.description}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset className="choices">
        <legend>Who uses it</legend>
        {ISSUE_MODES.map((m) => (
          <label key={m}>
            <input type="radio" name="mode" checked={s.draft.mode === m} onChange={() => s.update({ mode: m })} />
            <span>
              <strong>{MODE_TEXT[m].label}</strong> {MODE_TEXT[m].hint && <span className="muted">— {MODE_TEXT[m].hint}</span>}
            </span>
          </label>
        ))}
      </fieldset>
      {s.draft.mode === 'shared' && (
        <Notice kind="warning">
          A shared certificate costs you: you cannot tell users apart in logs, one lost laptop means revoking it for everyone and handing a new one to all, and its password
          travels to many people. Prefer one per user where the service allows it.
        </Notice>
      )}
      <SelectField label="Issuing CA" value={s.draft.ca ?? ''} options={cas} onChange={(ca) => s.update({ ca })} />
    </>
  );
}

function RecipientStep({ profile }: { profile: Profile | undefined }) {
  const s = useIssue();
  const r = s.draft.recipient;
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<Recipient[]>([]);
  useEffect(() => {
    const t = setTimeout(() => void call('recipient.list', { search }).then(setFound, () => setFound([])), 200);
    return () => clearTimeout(t);
  }, [search]);
  const set = (patch: Partial<typeof r>) => s.setRecipient({ ...r, ...patch }, profile);
  const problem = problemsFor(s.check, 'recipient').find((p) => p.field === 'name')?.message;
  // The UPN is asked here, with the person; it becomes the certificate's UPN name (prefill.ts), checked as the names are.
  const upnIndex = s.draft.sans.findIndex((x) => x.type === 'upn');
  const upnProblem = upnIndex < 0 ? undefined : s.check?.problems.find((p) => p.field === `sans.${upnIndex}`)?.message;
  return (
    <div className="two-col">
      <div>
        <TextField label={s.draft.mode === 'per-device' ? 'Device name' : s.draft.mode === 'shared' ? 'Name of the shared certificate' : 'Name'} value={r.name} onChange={(name) => set({ name })} autoFocus problem={problem} />
        <Findings items={findingsFor(s.check, 'recipient')} />
        <TextField label="E-mail" value={r.email ?? ''} onChange={(email) => set({ email })} type="email" />
        {profile?.sanAllowed.includes('upn') && (
          <TextField
            label="User principal name (UPN, optional)"
            value={r.upn ?? ''}
            onChange={(upn) => set({ upn })}
            placeholder="asmith@corp.example.com"
            hint="The Windows sign-in name (userPrincipalName): the certificate carries it for certificate logon, Wi-Fi and VPN."
            problem={upnProblem}
          />
        )}
        <TextField label="Phone (for reading out the password)" value={r.phone ?? ''} onChange={(phone) => set({ phone })} />
        <TextField label="Description" value={r.description ?? ''} onChange={(description) => set({ description })} hint="Department, asset tag, ticket number…" />
        <TextField
          label="Windows SID (optional)"
          value={r.sid ?? ''}
          onChange={(sid) => set({ sid })}
          placeholder="S-1-5-21-…"
          hint="Kept with the recipient; user and device certificates carry it (strong mapping, KB5014754). Get-ADUser NAME | Select SID"
          problem={problemsFor(s.check, 'recipient').find((p) => p.field === 'recipient.sid')?.message}
        />
        <TextField
          label="Account name (optional)"
          value={r.account ?? ''}
          onChange={(account) => set({ account })}
          placeholder={s.draft.mode === 'per-device' ? 'LAPTOP17$' : 'asmith'}
          hint="The Active Directory sAMAccountName (a computer's ends in $): the mapping script names it."
          problem={problemsFor(s.check, 'recipient').find((p) => p.field === 'account')?.message}
        />
      </div>
      <div>
        <TextField label="Find an earlier recipient" value={search} onChange={setSearch} placeholder="name, e-mail, phone" />
        <ul className="pick" aria-label="Earlier recipients">
          {found.map((x) => (
            <li key={x.id}>
              <button
                type="button"
                onClick={() => {
                  set({ name: x.name, email: x.email ?? '', phone: x.phone ?? '', description: x.description ?? '', sid: x.sid ?? '', account: x.account ?? '' });
                  // The devices this recipient's last bundle went to are preselected on the delivery step (issue 14).
                  void s.preselectDevices(x.id, x.name);
                }}
              >
                <strong>{x.name}</strong> {x.email && <span className="muted">{x.email}</span>} {x.account && <span className="muted">{x.account}</span>}
              </button>
            </li>
          ))}
          {found.length === 0 && <li className="muted">No earlier recipient matches.</li>}
        </ul>
      </div>
    </div>
  );
}

function NamesStep({ profile }: { profile: Profile }) {
  const s = useIssue();
  const sans = s.draft.sans;
  const problems = problemsFor(s.check, 'names');
  const problemAt = (i: number) => problems.find((p) => p.field === `sans.${i}`)?.message;
  // The UPN is entered on the recipient step: the names here are the others (their indexes in the draft kept, so problems still match).
  const types = SAN_TYPES.filter((t) => profile.sanAllowed.includes(t) && t !== 'upn');
  const shown = sans.flatMap((san, i) => (san.type === 'upn' ? [] : [{ san, i }]));
  const setSan = (i: number, patch: Partial<{ type: SanType; value: string }>) => s.update({ sans: sans.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
  return (
    <>
      <p className="hint">
        The {profile.name.toLowerCase()} profile allows {types.map((t) => SAN_LABELS[t]).join(', ')}
        {profile.sanAllowed.includes('upn') ? ` and a ${SAN_LABELS.upn} (on the Recipient step${sans.some((x) => x.type === 'upn') ? `: ${sans.find((x) => x.type === 'upn')!.value}` : ''})` : ''}
        {profile.sanRequireOneOf.length ? `; it needs at least one ${profile.sanRequireOneOf.map((t) => SAN_LABELS[t]).join(' or ')}` : ''}.
      </p>
      {shown.map(({ san, i }, n) => (
        <div className="san-row" key={i}>
          <SelectField label={`Name ${n + 1} type`} value={san.type} options={types.map((t) => ({ value: t, label: SAN_LABELS[t] }))} onChange={(type) => setSan(i, { type })} />
          <TextField label={`Name ${n + 1}`} value={san.value} onChange={(value) => setSan(i, { value })} problem={problemAt(i)} />
          <button type="button" className="remove" aria-label={`Remove name ${n + 1}`} onClick={() => s.update({ sans: sans.filter((_, k) => k !== i) })}>
            Remove
          </button>
        </div>
      ))}
      <Findings items={findingsFor(s.check, 'names')} />
      <button type="button" disabled={types.length === 0} onClick={() => s.update({ sans: [...sans, { type: types[0]!, value: '' }] })}>
        Add a name
      </button>
      <TextField label="Alias (optional)" value={s.draft.alias} onChange={(alias) => s.update({ alias })} hint="A short label for files and sheets, e.g. alice-laptop." problem={problems.find((p) => p.field === 'alias')?.message} />
      {(profile.id === 'user' || profile.id === 'device') && (
        <TextField
          label="Windows SID (optional)"
          value={s.draft.sid}
          onChange={(sid) => s.update({ sid })}
          placeholder="S-1-5-21-…"
          hint="The Active Directory account's SID (Get-ADUser NAME | Select SID). The certificate then carries it, so domain controllers enforcing strong mapping (KB5014754) accept it."
          problem={problems.find((p) => p.field === 'sid')?.message}
        />
      )}
      {s.check?.subject && (
        <p className="hint">
          Subject: <code data-testid="subject-preview">{s.check.subject}</code>
        </p>
      )}
    </>
  );
}

function KeyStep({ profile }: { profile: Profile }) {
  const s = useIssue();
  const days = s.draft.days ?? profile.validityDays;
  return (
    <>
      <SelectField
        label="Key"
        value={s.draft.keyType ?? profile.defaultKey}
        options={KEY_TYPES.map((k) => ({ value: k, label: `${KEY_LABELS[k]}${k === profile.defaultKey ? ' (profile default)' : ''}` }))}
        onChange={(keyType) => s.update({ keyType })}
        hint="RSA 2048 works everywhere; ECDSA is faster and smaller where devices support it."
      />
      <TextField
        label="Valid for (days)"
        type="number"
        value={String(days)}
        onChange={(v) => s.update({ days: v === '' ? undefined : Math.max(0, Math.floor(Number(v))) })}
        hint={`Profile default: ${profile.validityDays} days; renewal is due ${profile.renewBeforeDays} days before the end.${s.check?.notAfter ? ` Ends ${day(s.check.notAfter)}.` : ''}`}
        problem={problemsFor(s.check, 'key')[0]?.message}
      />
      <Findings items={findingsFor(s.check, 'key')} />
      <p className="hint">{profile.keepKey ? 'The private key is kept (encrypted) in the vault, so the bundle can be exported again.' : 'The private key is not kept: this bundle is the only copy.'}</p>
    </>
  );
}

function DeliveryStep() {
  const s = useIssue();
  const d = s.delivery;
  return (
    <>
      {d.devicesFrom && d.devices.length > 0 && <p className="hint">Preselected from {d.devicesFrom}’s last delivery.</p>}
      <DevicePicker value={d.devices} onChange={(devices) => s.setDelivery({ devices, devicesFrom: null })} />
      <fieldset className="choices">
        <legend>PFX password</legend>
        <label>
          <input type="radio" name="pw" checked={d.passwordMode === 'generate'} onChange={() => s.setDelivery({ passwordMode: 'generate' })} /> Generate one (shown once, with a QR code and a slip to print)
        </label>
        <label>
          <input type="radio" name="pw" checked={d.passwordMode === 'set'} onChange={() => s.setDelivery({ passwordMode: 'set' })} /> Set it myself
        </label>
      </fieldset>
      {d.passwordMode === 'set' && (
        <div className="two-col">
          <TextField label="Password" type="password" value={d.password} onChange={(password) => s.setDelivery({ password })} autoComplete="new-password" />
          <TextField label="Password again" type="password" value={d.confirm} onChange={(confirm) => s.setDelivery({ confirm })} autoComplete="new-password" />
        </div>
      )}
      <FolderField label="Export folder" value={d.folder} onChange={(folder) => s.setDelivery({ folder })} dialogTitle="Choose the export folder (the USB stick)" hint="The bundle goes into a new folder inside it. The password never goes there." />
    </>
  );
}

/** The confirm step's override: a checkbox and the reason recorded with the overridden errors in the audit log. */
function OverrideField() {
  const s = useIssue();
  const o = s.draft.override;
  if (!findingsFor(s.check, 'confirm').some((f) => f.severity === 'error')) return null;
  return (
    <fieldset className="choices">
      <legend>Preflight errors</legend>
      <label>
        <input type="checkbox" checked={o.on} onChange={(e) => s.update({ override: { ...o, on: e.target.checked } })} /> Issue anyway, despite the errors above
      </label>
      {o.on && <TextField label="Reason for the audit log (recorded with the errors)" value={o.reason} onChange={(reason) => s.update({ override: { ...o, reason } })} placeholder="e.g. lab only" />}
    </fieldset>
  );
}

function ConfirmStep({ profile, caName }: { profile: Profile | undefined; caName: string }) {
  const { draft, delivery, check } = useIssue();
  return (
    <>
    <dl className="props">
      <dt>Type</dt>
      <dd>
        {profile?.name} — {MODE_TEXT[draft.mode].label}
      </dd>
      <dt>Issuing CA</dt>
      <dd>{caName}</dd>
      <dt>Holder</dt>
      <dd>{draft.recipient.name}</dd>
      <dt>Subject</dt>
      <dd>
        <code>{check?.subject}</code>
      </dd>
      <dt>Names</dt>
      <dd>{check?.sans.map((x) => `${SAN_LABELS[x.type]}: ${x.value}`).join(', ') || '—'}</dd>
      <dt>Key</dt>
      <dd>{check ? KEY_LABELS[check.keyType] : ''}</dd>
      <dt>Valid</dt>
      <dd>
        {check?.days} days, until {day(check?.notAfter)}
      </dd>
      <dt>Delivery</dt>
      <dd>
        {delivery.devices.length ? pkcs12FormFor(delivery.devices).encryption : delivery.encryption} PFX, {delivery.passwordMode === 'generate' ? 'generated password' : 'password you set'}, to {delivery.folder}
        {delivery.devices.length > 0 && <div className="muted">For: {describeDevices(delivery.devices)}</div>}
      </dd>
    </dl>
    <Findings items={findingsFor(check, 'confirm')} />
    <OverrideField />
    </>
  );
}

