// The audit log: every state change, newest first, filterable by action; Verify checks the whole chain.
import { useState } from 'react';
import type { AuditVerification } from '../../../shared/domain.js';
import { useLoad } from '../components/use-load.js';
import { ErrorBanner, Notice, SelectField, TextField } from '../components/ui.js';
import { call, messageOf } from '../state/api.js';
import { dateTime } from '../state/format.js';

export function AuditScreen() {
  const [action, setAction] = useState('');
  const [limit, setLimit] = useState(200);
  const { data, error } = useLoad(() => call('audit.list', { action: action || undefined, limit }), [action, limit]);
  const [verify, setVerify] = useState<AuditVerification | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  return (
    <div>
      <div className="filters">
        <TextField label="Action starts with" value={action} onChange={setAction} placeholder="cert., ca., vault., batch." />
        <SelectField label="Show" value={limit} options={[100, 200, 1000, 10000].map((n) => ({ value: n, label: `latest ${n}` }))} onChange={setLimit} />
        <div className="field">
          <span className="label-spacer" aria-hidden="true" />
          <button type="button" onClick={() => void call('audit.verify', {}).then(setVerify, (e: unknown) => setVerifyError(messageOf(e)))}>
            Verify the chain
          </button>
        </div>
      </div>
      {verify &&
        (verify.ok ? (
          <Notice kind="success">The audit chain holds: {verify.entries} entries verified, none edited, removed or reordered.</Notice>
        ) : (
          <ErrorBanner error={`The audit chain is broken at entry ${verify.firstBad?.seq}: ${verify.firstBad?.problem}`} />
        ))}
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
              <td className="wrap small">{JSON.stringify(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
