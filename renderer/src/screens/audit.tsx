// The audit log: every state change, newest first, filterable by action; Verify checks the whole chain and
// every authenticated record (what `certdesk vault verify` checks), and lists what was changed outside CertDesk.
import { useState } from 'react';
import type { VaultVerification } from '../../../shared/domain.js';
import { useLoad } from '../components/use-load.js';
import { ErrorBanner, Notice, SelectField, TextField } from '../components/ui.js';
import { call, messageOf } from '../state/api.js';
import { auditDetails, dateTime } from '../state/format.js';

export function AuditScreen() {
  const [action, setAction] = useState('');
  const [limit, setLimit] = useState(200);
  const { data, error } = useLoad(() => call('audit.list', { action: action || undefined, limit }), [action, limit]);
  const [verify, setVerify] = useState<VaultVerification | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  return (
    <div>
      <div className="filters">
        <TextField label="Action starts with" value={action} onChange={setAction} placeholder="cert., ca., vault., batch." />
        <SelectField label="Show" value={limit} options={[100, 200, 1000, 10000].map((n) => ({ value: n, label: `latest ${n}` }))} onChange={setLimit} />
        <div className="field">
          <span className="label-spacer" aria-hidden="true" />
          <button type="button" onClick={() => void call('audit.verify', {}).then(setVerify, (e: unknown) => setVerifyError(messageOf(e)))}>
            Verify the vault
          </button>
        </div>
      </div>
      {verify && <VerifyReport verify={verify} />}
      <ErrorBanner error={error ?? verifyError} />
      <table className="data" aria-label="Audit entries">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {(data ?? []).map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{dateTime(e.at)}</td>
              <td>{e.action}</td>
              <td>{e.target ?? ''}</td>
              <td className="wrap small">{auditDetails(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What Verify found: all well, or every problem, one per line (the audit chain first). */
function VerifyReport({ verify }: { verify: VaultVerification }) {
  if (verify.ok) {
    return (
      <Notice kind="success">
        The audit chain holds: {verify.audit.entries} entries verified, none edited, removed or reordered. All {verify.records.checked} records are as CertDesk wrote them.
      </Notice>
    );
  }
  const lines = [
    ...(verify.audit.ok ? [] : [`Audit chain: broken at entry ${verify.audit.firstBad?.seq}: ${verify.audit.firstBad?.problem}`]),
    ...verify.records.problems.map((p) => `${p.table}: ${p.record === null ? '' : `${p.record}: `}${p.problem}`),
  ];
  return (
    <div className="banner error" role="alert">
      <div>
        <strong>The vault was changed outside CertDesk.</strong> CertDesk uses none of these records until the vault is restored from a good copy
        {verify.audit.ok ? ` (the audit chain holds: ${verify.audit.entries} entries)` : ''}:
        <ul className="verify-problems">
          {lines.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}
