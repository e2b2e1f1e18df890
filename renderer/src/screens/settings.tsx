// Settings: issuance rules per profile, the hand-over letter template with a live preview, auto-lock.
import { useEffect, useState } from 'react';
import { KEY_TYPES, type PasswordGroup, type Profile } from '../../../shared/domain.js';
import { useLoad } from '../components/use-load.js';
import { BackupSection } from '../components/backup-section.js';
import { Busy, ErrorBanner, Notice, SelectField, TextField } from '../components/ui.js';
import { call, messageOf } from '../state/api.js';
import { autoLockWarning, saveAutoLock } from '../state/auto-lock.js';
import { KEY_LABELS } from '../state/format.js';
import { useProfileTargets } from '../state/profile-targets.js';
import { useSession } from '../state/session.js';

const GROUPS: PasswordGroup[] = ['upper', 'lower', 'digits', 'symbols'];

export function SettingsScreen() {
  return (
    <div className="settings">
      <AutoLock />
      <ProfileRules />
      <LetterTemplate />
      <BackupSection />
    </div>
  );
}

function AutoLock() {
  const settings = useLoad(() => call('settings.get', {}), []);
  const refresh = useSession((s) => s.refresh);
  const [minutes, setMinutes] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  // Beside the field, in plain words (state/auto-lock.ts): empty is not zero.
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (settings.data) setMinutes(String(settings.data.autoLockMinutes));
  }, [settings.data]);
  const warning = autoLockWarning(minutes);
  // Nothing to edit until the load has answered (useLoad's `loading`): the saved value would replace what was typed
  // before it. A failed load leaves the field empty and editable, with the error shown below it.
  return (
    <section className="step" aria-labelledby="lock-title">
      <h2 id="lock-title">Auto-lock</h2>
      <form noValidate
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(null);
          void saveAutoLock(minutes).then((r) => {
            if ('problem' in r) {
              setProblem(r.problem);
              return;
            }
            setProblem(null);
            setSaved(r.saved);
            void refresh(false);
          });
        }}
      >
        <TextField
          label="Lock the vault after (minutes without use; 0: never)"
          type="number"
          value={minutes}
          readOnly={settings.loading}
          onChange={(v) => {
            setMinutes(v);
            setProblem(null);
          }}
          problem={problem}
        />
        <button type="submit" disabled={settings.loading}>Save</button>
      </form>
      {warning && <Notice kind="warning">{warning}</Notice>}
      {saved && <Notice kind="success">{saved}</Notice>}
      <ErrorBanner error={settings.error} />
    </section>
  );
}

function ProfileRules() {
  const { data, reload } = useLoad(() => call('profile.list', {}), []);
  const [id, setId] = useState<Profile['id']>('user');
  const [draft, setDraft] = useState<Profile | null>(null);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDraft(data?.find((p) => p.id === id) ?? null);
  }, [data, id]);
  if (!draft) return null;
  const rule = draft.passwordRule;
  const set = (patch: Partial<Profile>) => setDraft({ ...draft, ...patch });
  const save = async () => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      const { validityDays, renewBeforeDays, autoRenew, defaultKey, pfxEncryption, keepKey, passwordRule, sidUri, smartCardLogon } = draft;
      // The Windows options only when set (profiles stored before them have neither): saving leaves them absent otherwise.
      const windows = { ...(sidUri === undefined ? {} : { sidUri }), ...(smartCardLogon === undefined ? {} : { smartCardLogon }) };
      await call('profile.update', { id, changes: { validityDays, renewBeforeDays, autoRenew, defaultKey, pfxEncryption, keepKey, passwordRule, ...windows } });
      setNote(`Saved the ${draft.name} profile.`);
      reload();
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  };
  return (
    <section className="step" aria-labelledby="rules-title">
      <h2 id="rules-title">Issuance rules</h2>
      <SelectField label="Profile" value={id} options={(data ?? []).map((p) => ({ value: p.id, label: p.name }))} onChange={setId} />
      <div className="three-col">
        <TextField label="Validity (days)" type="number" value={String(draft.validityDays)} onChange={(v) => set({ validityDays: Number(v) })} />
        <TextField label="Renew before (days)" type="number" value={String(draft.renewBeforeDays)} onChange={(v) => set({ renewBeforeDays: Number(v) })} />
        <SelectField label="Default key" value={draft.defaultKey} options={KEY_TYPES.map((k) => ({ value: k, label: KEY_LABELS[k] }))} onChange={(defaultKey) => set({ defaultKey })} />
        <SelectField label="Default PFX" value={draft.pfxEncryption} options={[{ value: 'modern', label: 'Modern (AES-256)' }, { value: 'legacy', label: 'Legacy (3DES)' }]} onChange={(pfxEncryption) => set({ pfxEncryption })} />
        <TextField label="Password length" type="number" value={String(rule.length)} onChange={(v) => set({ passwordRule: { ...rule, length: Number(v) } })} />
        <TextField label="Set passwords: at least this many groups" type="number" value={String(rule.minGroups)} onChange={(v) => set({ passwordRule: { ...rule, minGroups: Number(v) } })} />
      </div>
      <fieldset className="choices row">
        <legend>Generated passwords use</legend>
        {GROUPS.map((g) => (
          <label key={g}>
            <input
              type="checkbox"
              checked={rule.groups.includes(g)}
              onChange={(e) => set({ passwordRule: { ...rule, groups: e.target.checked ? [...rule.groups, g] : rule.groups.filter((x) => x !== g) } })}
            />{' '}
            {g}
          </label>
        ))}
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={draft.autoRenew} onChange={(e) => set({ autoRenew: e.target.checked })} /> Renew automatically when due (listed by “renew due”)
      </label>
      <label className="check">
        <input type="checkbox" checked={draft.keepKey} onChange={(e) => set({ keepKey: e.target.checked })} /> Keep private keys in the vault (bundles can be exported again)
      </label>
      {(draft.id === 'user' || draft.id === 'device') && (
        <label className="check">
          <input type="checkbox" checked={draft.sidUri ?? false} onChange={(e) => set({ sidUri: e.target.checked })} /> With a Windows SID, also put it in the SAN as a URI (tag:microsoft.com,2022-09-14:sid:…)
        </label>
      )}
      {draft.id === 'user' && (
        <label className="check">
          <input type="checkbox" checked={draft.smartCardLogon ?? false} onChange={(e) => set({ smartCardLogon: e.target.checked })} /> Add the smart-card logon EKU (Windows logon with the certificate)
        </label>
      )}
      <ErrorBanner error={error} />
      {note && <Notice kind="success">{note}</Notice>}
      <div className="actions end">
        <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
          {busy ? <Busy label="Saving…" /> : 'Save rules'}
        </button>
      </div>
      <TargetsEditor id={id} />
    </section>
  );
}

/**
 * The profile's preflight targets (README "Preflight"): a checkbox per system with what it checks, saved on its
 * own (profile.setTargets: validated in main, stored in the authenticated definition, audited).
 */
function TargetsEditor({ id }: { id: Profile['id'] }) {
  const t = useProfileTargets();
  useEffect(() => {
    void useProfileTargets.getState().load(id);
  }, [id]);
  if (!t.saved || t.saved.profile !== id) return null;
  return (
    <>
      <fieldset className="choices" aria-describedby="targets-hint">
        <legend>Preflight: checked against</legend>
        <p className="hint" id="targets-hint">
          Before issuing, signing or renewing, the certificate is checked against these systems (and the RFC 5280 rules always).
          {t.saved.isDefault ? ' The profile uses its built-in default.' : ''}
        </p>
        {t.saved.targets.map((x) => (
          <label key={x.id}>
            <input type="checkbox" checked={t.draft.includes(x.id)} onChange={(e) => t.toggle(x.id, e.target.checked)} /> <code>{x.id}</code>: {x.checks}
          </label>
        ))}
      </fieldset>
      <ErrorBanner error={t.error} />
      {t.note && <Notice kind="success">{t.note}</Notice>}
      <div className="actions end">
        <button type="button" disabled={t.busy || !t.dirty()} onClick={() => void t.save()}>
          {t.busy ? <Busy label="Saving…" /> : 'Save targets'}
        </button>
      </div>
    </>
  );
}

function LetterTemplate() {
  const settings = useLoad(() => call('settings.get', {}), []);
  const [template, setTemplate] = useState('');
  const [preview, setPreview] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    if (settings.data) setTemplate(settings.data.letterTemplate);
  }, [settings.data]);
  useEffect(() => {
    if (!template) return;
    const t = setTimeout(
      () =>
        void call('letter.preview', { template }).then(
          (r) => {
            setPreview(r.text);
            setProblem(null);
          },
          (e: unknown) => setProblem(messageOf(e)),
        ),
      250,
    );
    return () => clearTimeout(t);
  }, [template]);
  return (
    <section className="step" aria-labelledby="letter-title">
      <h2 id="letter-title">Hand-over letter</h2>
      <p className="hint">Placeholders: {settings.data?.placeholders.map((p) => <code key={p}>{p} </code>)} — write $$ for a literal $.</p>
      <div className="two-col">
        <div className="field">
          <label htmlFor="letter-template">Template</label>
          {/* Read-only until the saved template arrives: text typed before it would be replaced by it. */}
          <textarea id="letter-template" rows={14} value={template} readOnly={!settings.data} onChange={(e) => setTemplate(e.target.value)} aria-invalid={problem ? true : undefined} />
          {problem && (
            <div className="problem" role="alert">
              {problem}
            </div>
          )}
        </div>
        <div className="field">
          <span className="label" id="letter-preview-label">
            Preview with sample values
          </span>
          <pre className="letter" aria-labelledby="letter-preview-label" data-testid="letter-preview">
            {preview}
          </pre>
        </div>
      </div>
      {note && <Notice kind="success">{note}</Notice>}
      <div className="actions end">
        <button type="button" className="primary" disabled={!!problem} onClick={() => void call('settings.update', { letterTemplate: template }).then(() => setNote('Saved the letter template.'), (e: unknown) => setProblem(messageOf(e)))}>
          Save template
        </button>
      </div>
    </section>
  );
}
