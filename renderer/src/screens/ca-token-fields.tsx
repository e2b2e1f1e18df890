// The CA wizards' "Where the key lives" (issue 15): in the vault, or on a smart card or HSM through a PKCS#11
// module. For a token: the module (one main found at a well-known path, token.modules, or a file chosen with
// "Choose module file…", dialog.openModule: main loads no other), the token (token.list), the key (a label for
// a new key, or one of the keys the token shows without its PIN) and the PIN, typed here and never shown back.
import { useState } from 'react';
import type { TokenModule } from '../../../shared/api.js';
import { useLoad } from '../components/use-load.js';
import { SelectField, TextField } from '../components/ui.js';
import { call, messageOf } from '../state/api.js';
import { keyLabelsOf, tokenOptionLabel, type KeyPlace, type TokenChoice, type TokenKeyMode } from '../state/token-choice.js';

/** The two places a CA's key can live, as radio buttons. */
export function KeyPlaceChoice({ value, onChange, vaultLabel }: { value: KeyPlace; onChange: (v: KeyPlace) => void; vaultLabel: string }) {
  return (
    <fieldset className="choices">
      <legend>Where the key lives</legend>
      <label>
        <input type="radio" name="key-place" checked={value === 'vault'} onChange={() => onChange('vault')} /> {vaultLabel}
      </label>
      <label>
        <input type="radio" name="key-place" checked={value === 'token'} onChange={() => onChange('token')} /> On a smart card or HSM (PKCS#11): the key never
        leaves it
      </label>
    </fieldset>
  );
}

/** Module, token, key and PIN for a CA key on a token; `mode` 'new' makes a key, 'existing' uses one already there. */
export function TokenKeyFields({ mode, value, onChange, caName }: { mode: TokenKeyMode; value: TokenChoice; onChange: (v: TokenChoice) => void; caName: string }) {
  const modules = useLoad(() => call('token.modules', {}), []);
  const [chosen, setChosen] = useState<TokenModule | null>(null);
  const [chooseError, setChooseError] = useState<string | null>(null);
  const listing = useLoad(() => (value.module ? call('token.list', { module: value.module }) : Promise.resolve(null)), [value.module]);
  const offered = [...(modules.data ?? []), ...(chosen && !modules.data?.some((m) => m.path === chosen.path) ? [chosen] : [])];
  const tokens = listing.data?.module === value.module ? listing.data.tokens : [];
  const token = tokens.find((t) => t.label === value.token);
  const keys = keyLabelsOf(token);
  const pick = (module: string) => onChange({ ...value, module, token: '', keyLabel: mode === 'new' ? value.keyLabel : '' });
  const chooseModule = async () => {
    setChooseError(null);
    try {
      const file = await call('dialog.openModule', {});
      if (!file) return;
      setChosen({ path: file.path, name: file.path.split(/[\\/]/).pop() ?? file.path });
      pick(file.path);
    } catch (e) {
      setChooseError(messageOf(e));
    }
  };
  return (
    <div className="token-key">
      <SelectField
        label="PKCS#11 module"
        value={value.module}
        options={offered.map((m) => ({ value: m.path, label: `${m.name}: ${m.path}` }))}
        onChange={pick}
        placeholder={modules.data && offered.length === 0 ? 'None found at the usual places: choose its file' : 'Choose…'}
        problem={modules.error ?? chooseError}
        hint="The token maker’s library: SoftHSM2, OpenSC (smart cards, Nitrokey, YubiKey PIV), Yubico’s ykcs11, or your HSM’s client."
      />
      <button type="button" onClick={() => void chooseModule()}>
        Choose module file…
      </button>
      {value.module && (
        <SelectField
          label="Token"
          value={token ? token.label : ''}
          options={tokens.map((t) => ({ value: t.label, label: tokenOptionLabel(t) }))}
          onChange={(label) => onChange({ ...value, token: label, keyLabel: mode === 'new' ? value.keyLabel : '' })}
          placeholder={listing.loading ? 'Reading the tokens…' : tokens.length === 0 ? 'No token found: insert it' : 'Choose…'}
          problem={listing.error}
        />
      )}
      {token && mode === 'new' && (
        <TextField label="Key label on the token" value={value.keyLabel} onChange={(keyLabel) => onChange({ ...value, keyLabel })} placeholder={caName} hint="The new key pair is made on the token under this label (the CA’s name if left empty)." />
      )}
      {token && mode === 'existing' && keys.length > 0 && (
        <SelectField label="Key on the token" value={keys.includes(value.keyLabel) ? value.keyLabel : ''} options={keys.map((k) => ({ value: k, label: k }))} onChange={(keyLabel) => onChange({ ...value, keyLabel })} hint="It must be the key of the CA certificate: the token signs a test to prove it." />
      )}
      {token && mode === 'existing' && keys.length === 0 && (
        <TextField label="Key label on the token" value={value.keyLabel} onChange={(keyLabel) => onChange({ ...value, keyLabel })} hint="The token shows no key without its PIN: type the key’s label." />
      )}
      {token && <TextField label="Token PIN" type="password" value={value.pin} onChange={(pin) => onChange({ ...value, pin })} autoComplete="off" hint="Used to log in now and kept logged in until the vault locks; never stored." />}
    </div>
  );
}
