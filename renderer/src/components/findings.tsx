// Preflight's findings beside a form's fields, and the "override with a reason" every signing screen offers for errors.
import type { PreflightFinding } from '../../../shared/domain.js';
import type { OverrideDraft } from '../state/override.js';
import { TextField } from './ui.js';

/**
 * Preflight's findings (README "Preflight"): each with its severity, the system it concerns, the message and the
 * rule's source; nothing when there are none. `data-testid` is `finding-<field>` per item.
 */
export function Findings({ items, label }: { items: PreflightFinding[]; label?: string }) {
  if (items.length === 0) return null;
  return (
    <ul className="findings" aria-live="polite" aria-label={label}>
      {items.map((f, i) => (
        <li key={i} className={`finding ${f.severity}`} data-testid={`finding-${f.field}`}>
          <strong>{f.severity === 'error' ? 'Error' : 'Warning'}</strong> ({f.target}): {f.message} <span className="small">Rule: {f.source}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * "Override with reason": shown only when `findings` has an error; the reason is recorded in the audit entry with
 * the overridden errors (main's preflight gate). `action` names the button it unblocks ("Sign", "Renew").
 */
export function OverrideField({ findings, value, onChange, action }: { findings: PreflightFinding[]; value: OverrideDraft; onChange: (o: OverrideDraft) => void; action: string }) {
  if (!findings.some((f) => f.severity === 'error')) return null;
  return (
    <fieldset className="choices">
      <legend>Preflight errors</legend>
      <label>
        <input type="checkbox" checked={value.on} onChange={(e) => onChange({ ...value, on: e.target.checked })} /> Override with reason: {action} despite the errors above
      </label>
      {value.on && <TextField label="Reason for the audit log (recorded with the errors)" value={value.reason} onChange={(reason) => onChange({ ...value, reason })} placeholder="e.g. lab only" />}
    </fieldset>
  );
}
