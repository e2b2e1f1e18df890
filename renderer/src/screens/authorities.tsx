// Certificate authorities: the list with validity and chain, wizards to create a root or an intermediate and
// to import a CA from PFX or PEM, or a certificate whose key is on a PKCS#11 token (ca-token-fields.tsx), and
// each CA's details panel with its lifecycle actions (ca-details-panel.tsx).
import { useId, useState } from 'react';
import type { CaRecord, KeyType } from '../../../shared/domain.js';
import { DEFAULT_CA_KEY, DEFAULT_CA_KEY_REASON, KEY_TYPES } from '../../../shared/domain.js';
import { useLoad } from '../components/use-load.js';
import { Busy, ErrorBanner, FileDrop, Modal, SelectField, StatusBadge, TextField, type PickedFile } from '../components/ui.js';
import { canSignCas } from '../state/cas.js';
import { CaDetailsPanel } from './ca-details-panel.js';
import { KeyPlaceChoice, TokenKeyFields } from './ca-token-fields.js';
import { missingForToken, NO_TOKEN_CHOICE, tokenKeyRequest, type KeyPlace, type TokenChoice } from '../state/token-choice.js';
import { call, messageOf } from '../state/api.js';
import { day, KEY_LABELS, shortThumb } from '../state/format.js';

type Wizard = 'root' | 'intermediate' | 'import' | null;

function chainOf(ca: CaRecord, all: CaRecord[]): string {
  const names: string[] = [];
  let cur: CaRecord | undefined = ca;
  const seen = new Set<number>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    names.push(cur.name);
    cur = cur.issuerCaId === null ? undefined : all.find((c) => c.id === cur!.issuerCaId);
  }
  return names.reverse().join(' → ');
}

export function AuthoritiesScreen() {
  const { data, error, reload } = useLoad(() => call('ca.list', {}), []);
  const [wizard, setWizard] = useState<Wizard>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const close = () => {
    setWizard(null);
    reload();
  };
  const cas = data ?? [];
  return (
    <div>
      <div className="actions">
        <button type="button" className="primary" onClick={() => setWizard('root')}>
          Create root CA…
        </button>
        <button type="button" onClick={() => setWizard('intermediate')} disabled={!cas.some(canSignCas)}>
          Create intermediate CA…
        </button>
        <button type="button" onClick={() => setWizard('import')}>
          Import CA…
        </button>
      </div>
      <ErrorBanner error={error} />
      <table className="data" aria-label="Certificate authorities">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Subject</th>
            <th scope="col">Chain</th>
            <th scope="col">Key</th>
            <th scope="col">Valid</th>
            <th scope="col">Status</th>
            <th scope="col">Next CRL</th>
            <th scope="col">SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {cas.map((ca) => (
            <tr key={ca.id}>
              <th scope="row">
                <button type="button" className="link" aria-pressed={selected === ca.id} onClick={() => setSelected(ca.id)}>
                  {ca.name}
                </button>
              </th>
              <td className="wrap">{ca.subject}</td>
              <td>{chainOf(ca, cas)}</td>
              <td>
                {KEY_LABELS[ca.keyType]}
                {ca.hasKey ? '' : ' (no key)'}
              </td>
              <td>
                {day(ca.notBefore)} – {day(ca.notAfter)}
              </td>
              <td>
                <StatusBadge status={ca.retired && ca.status === 'valid' ? 'retired' : ca.status} />
              </td>
              <td>{ca.nextCrlUpdate ? day(ca.nextCrlUpdate) : 'never published'}</td>
              <td className="mono">{shortThumb(ca.sha256)}</td>
            </tr>
          ))}
          {data && cas.length === 0 && (
            <tr>
              <td colSpan={8}>No certificate authority yet: create a root CA first, then an intermediate that issues the certificates.</td>
            </tr>
          )}
        </tbody>
      </table>
      {selected !== null && <CaDetailsPanel key={selected} id={selected} onSelect={setSelected} onClose={() => setSelected(null)} onChanged={reload} />}
      <Modal title={wizard === 'root' ? 'Create a root CA' : 'Create an intermediate CA'} open={wizard === 'root' || wizard === 'intermediate'} onClose={close}>
        <CreateCa intermediate={wizard === 'intermediate'} cas={cas} onDone={close} />
      </Modal>
      <Modal title="Import a CA" open={wizard === 'import'} onClose={close}>
        <ImportCa onDone={close} />
      </Modal>
    </div>
  );
}

function CreateCa({ intermediate, cas, onDone }: { intermediate: boolean; cas: CaRecord[]; onDone: () => void }) {
  const issuers = cas.filter(canSignCas);
  const [name, setName] = useState('');
  const [cn, setCn] = useState('');
  const [o, setO] = useState(cas[0]?.subject.match(/O=([^,]+)/)?.[1] ?? '');
  const [c, setC] = useState(cas[0]?.subject.match(/C=([A-Z]{2})/)?.[1] ?? '');
  // One default for the engine, the CLI and this dialog (shared/domain.ts), its reason shown beside the choice.
  const [keyType, setKeyType] = useState<KeyType>(DEFAULT_CA_KEY);
  const [days, setDays] = useState(intermediate ? '1825' : '3650');
  const [issuer, setIssuer] = useState<number | ''>(issuers[0]?.id ?? '');
  const [crlUrl, setCrlUrl] = useState('');
  const [place, setPlace] = useState<KeyPlace>('vault');
  const [tokenKey, setTokenKey] = useState<TokenChoice>(NO_TOKEN_CHOICE);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const subject = [cn && `CN=${cn.replace(/([,+"\\<>;=])/g, '\\$1')}`, o && `O=${o.replace(/([,+"\\<>;=])/g, '\\$1')}`, c && `C=${c}`].filter(Boolean).join(', ');
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('ca.create', {
        name: name.trim(),
        subject,
        keyType,
        days: Number(days),
        issuer: intermediate && issuer !== '' ? issuer : undefined,
        crlUrl: crlUrl.trim() || undefined,
        pkcs11: place === 'token' ? tokenKeyRequest(tokenKey) : undefined,
      });
      onDone();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    } finally {
      // Sent: the PIN leaves the form, whatever main answered.
      setTokenKey((t) => ({ ...t, pin: '' }));
    }
  };
  const tokenMissing = place === 'token' ? missingForToken(tokenKey, 'new') : [];
  const whyId = useId();
  return (
    <form noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {intermediate && <SelectField label="Signed by" value={issuer} options={issuers.map((i) => ({ value: i.id, label: i.name }))} onChange={setIssuer} />}
      <TextField label="Name in CertDesk" value={name} onChange={setName} autoFocus hint="A short name you pick it by, e.g. “Issuing CA 2026”." />
      <TextField label="Common name (CN)" value={cn} onChange={setCn} hint="As it appears in every certificate’s issuer field." />
      <div className="two-col">
        <TextField label="Organisation (O)" value={o} onChange={setO} />
        <TextField label="Country (C, two letters)" value={c} onChange={(v) => setC(v.toUpperCase().slice(0, 2))} />
      </div>
      <p className="hint">
        Subject: <code>{subject || '—'}</code>
      </p>
      <div className="two-col">
        <SelectField
          label="Key"
          value={keyType}
          options={KEY_TYPES.map((k) => ({ value: k, label: KEY_LABELS[k] }))}
          onChange={setKeyType}
          hint={keyType === DEFAULT_CA_KEY ? `Default. ${DEFAULT_CA_KEY_REASON}.` : `The default is ${KEY_LABELS[DEFAULT_CA_KEY]} (${DEFAULT_CA_KEY_REASON}).`}
        />
        <TextField label="Valid for (days)" value={days} onChange={setDays} type="number" hint={intermediate ? 'Not past the issuing CA’s own end date.' : 'Roots usually live 10 to 20 years.'} />
      </div>
      <TextField label="CRL address (optional)" value={crlUrl} onChange={setCrlUrl} placeholder="http://pki.example.com/issuing.crl" hint="Written into the certificates this CA issues, so clients know where to check revocation." />
      <KeyPlaceChoice value={place} onChange={setPlace} vaultLabel="In the vault, sealed under its passphrase" />
      {place === 'token' && <TokenKeyFields mode="new" value={tokenKey} onChange={setTokenKey} caName={name.trim()} />}
      <ErrorBanner error={error} />
      <div className="actions end">
        <WhyDisabled id={whyId} reasons={tokenMissing} />
        <button type="submit" className="primary" aria-describedby={tokenMissing.length ? whyId : undefined} disabled={busy || !name.trim() || !cn.trim() || (intermediate && issuer === '') || tokenMissing.length > 0}>
          {busy ? <Busy label="Creating…" /> : intermediate ? 'Create intermediate CA' : 'Create root CA'}
        </button>
      </div>
    </form>
  );
}

function ImportCa({ onDone }: { onDone: () => void }) {
  const [kind, setKind] = useState<'pfx' | 'pem' | 'token'>('pfx');
  const [name, setName] = useState('');
  const [pfx, setPfx] = useState<PickedFile | null>(null);
  const [password, setPassword] = useState('');
  const [cert, setCert] = useState<PickedFile | null>(null);
  const [key, setKey] = useState<PickedFile | null>(null);
  const [tokenKey, setTokenKey] = useState<TokenChoice>(NO_TOKEN_CHOICE);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('ca.import', {
        name: name.trim(),
        pfx: kind === 'pfx' && pfx ? { data: pfx.base64, password } : undefined,
        pem: kind === 'pem' && cert && key ? { cert: cert.text, key: key.text, keyPassword: password || undefined } : undefined,
        pkcs11: kind === 'token' && cert ? { ...tokenKeyRequest(tokenKey), keyLabel: tokenKey.keyLabel.trim(), cert: cert.text } : undefined,
      });
      setPassword('');
      onDone();
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    } finally {
      setTokenKey((t) => ({ ...t, pin: '' }));
    }
  };
  const tokenMissing = kind === 'token' ? [...(cert ? [] : ['Add the CA certificate.']), ...missingForToken(tokenKey, 'existing')] : [];
  const whyId = useId();
  const ready = name.trim() && (kind === 'pfx' ? pfx : kind === 'pem' ? cert && key : tokenMissing.length === 0);
  return (
    <form noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <TextField label="Name in CertDesk" value={name} onChange={setName} autoFocus />
      <fieldset className="choices">
        <legend>What you have</legend>
        <label>
          <input type="radio" name="import-kind" checked={kind === 'pfx'} onChange={() => setKind('pfx')} /> A PFX / PKCS#12 file
        </label>
        <label>
          <input type="radio" name="import-kind" checked={kind === 'pem'} onChange={() => setKind('pem')} /> A PEM certificate and its key
        </label>
        <label>
          <input type="radio" name="import-kind" checked={kind === 'token'} onChange={() => setKind('token')} /> A certificate whose key is on a smart card or HSM
          (PKCS#11)
        </label>
      </fieldset>
      {kind === 'pfx' && <FileDrop label="PFX file" accept=".pfx,.p12" onFile={setPfx} current={pfx?.name} />}
      {kind === 'pem' && (
        <div className="two-col">
          <FileDrop label="Certificate (PEM or DER)" accept=".pem,.crt,.cer" onFile={setCert} current={cert?.name} />
          <FileDrop label="Private key (PEM)" accept=".pem,.key" onFile={setKey} current={key?.name} />
        </div>
      )}
      {kind === 'token' && (
        <>
          <FileDrop label="CA certificate (PEM)" accept=".pem,.crt,.cer" onFile={setCert} current={cert?.name} />
          <TokenKeyFields mode="existing" value={tokenKey} onChange={setTokenKey} caName={name.trim()} />
        </>
      )}
      {kind !== 'token' && (
        <TextField label={kind === 'pfx' ? 'PFX password' : 'Key password (if the key is encrypted)'} type="password" value={password} onChange={setPassword} autoComplete="off" />
      )}
      <ErrorBanner error={error} />
      <div className="actions end">
        <WhyDisabled id={whyId} reasons={tokenMissing} />
        <button type="submit" className="primary" aria-describedby={tokenMissing.length ? whyId : undefined} disabled={busy || !ready}>
          {busy ? <Busy label="Importing…" /> : 'Import CA'}
        </button>
      </div>
    </form>
  );
}

/** What a token key still lacks, beside the submit button that it describes (aria-describedby). */
function WhyDisabled({ id, reasons }: { id: string; reasons: string[] }) {
  if (reasons.length === 0) return null;
  return (
    <span className="why" id={id} data-testid="why-disabled">
      {reasons.join(' ')}
    </span>
  );
}
