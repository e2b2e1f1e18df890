// "What will install the certificate?" (issue 14, delivery chosen by the device): one checkbox per device family,
// a version choice for the families whose versions differ, and the PKCS#12 form that follows, with the reasons
// (shared/devices.ts pkcs12FormFor, the same rule main applies). Used by the issue wizard, batch, renew and export.
import { useId } from 'react';
import { allowsEmptyPassword, DEVICE_FAMILIES, DEVICE_IDS, DEVICE_TARGETS, deviceTarget, pkcs12FormFor, type DeviceFamily, type DeviceId } from '../../../shared/devices.js';
import type { PfxEncryption } from '../../../shared/domain.js';

const FORM_TEXT: Record<PfxEncryption, string> = {
  modern: 'modern (AES-256)',
  legacy: 'legacy (3DES with a SHA-1 MAC)',
};

/** The ids in DEVICE_IDS order, so a choice reads (and is stored) the same whichever box was ticked first. */
const ordered = (ids: Iterable<DeviceId>): DeviceId[] => {
  const set = new Set(ids);
  return DEVICE_IDS.filter((id) => set.has(id));
};

/**
 * The device checkboxes. `value` is the chosen ids; `fallback` says which form applies while none is chosen
 * (renew and export: the last delivery's or the profile's), absent: a choice is required (the wizard, batch).
 */
export function DevicePicker(props: { value: readonly DeviceId[]; onChange: (ids: DeviceId[]) => void; fallback?: { encryption: PfxEncryption; why: string } }) {
  const uid = useId();
  const chosen = new Set(props.value);
  const inFamily = (family: DeviceFamily) => DEVICE_TARGETS.filter((t) => t.family === family);
  const without = (family: DeviceFamily) => props.value.filter((id) => deviceTarget(id).family !== family);
  const form = pkcs12FormFor(props.value);
  const apple = props.value.some((id) => deviceTarget(id).family === 'apple');
  return (
    <fieldset className="choices devices" aria-describedby={`${uid}-form`}>
      <legend>What will install the certificate?</legend>
      {DEVICE_FAMILIES.map(({ family, label, first }) => {
        const versions = inFamily(family);
        const current = versions.find((t) => chosen.has(t.id));
        return (
          <div key={family} className="device-family">
            <label>
              <input type="checkbox" checked={current !== undefined} onChange={(e) => props.onChange(ordered(e.target.checked ? [...without(family), first] : without(family)))} /> {label}
            </label>
            {current && versions.length > 1 && (
              <fieldset className="choices versions">
                <legend>{label}: which version?</legend>
                {versions.map((t) => (
                  <label key={t.id}>
                    <input type="radio" name={`${uid}-${family}`} checked={current.id === t.id} onChange={() => props.onChange(ordered([...without(family), t.id]))} /> {t.label}
                  </label>
                ))}
              </fieldset>
            )}
          </div>
        );
      })}
      <div id={`${uid}-form`} className="device-form" role="status" data-testid="device-form">
        {props.value.length === 0 ? (
          props.fallback ? (
            <p className="hint">
              No device chosen: the {FORM_TEXT[props.fallback.encryption]} form, {props.fallback.why}.
            </p>
          ) : (
            <p className="hint">Tick every kind of device that will install it.</p>
          )
        ) : (
          <>
            <p>
              The PFX will use the <strong>{FORM_TEXT[form.encryption]}</strong> form{form.encryption === 'modern' ? ': every device chosen reads it.' : ', because:'}
            </p>
            {form.reasons.length > 0 && (
              <ul data-testid="device-reasons">
                {form.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            )}
            {!allowsEmptyPassword(props.value) && (
              <p className="hint" data-testid="password-required">
                {apple ? 'An iPhone, iPad or Mac does not install a PFX without a password: it always gets one.' : 'Unknown devices may include an iPhone: the PFX always gets a password.'}
              </p>
            )}
          </>
        )}
      </div>
    </fieldset>
  );
}
