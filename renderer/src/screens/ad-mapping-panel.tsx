// The certificate details' "Windows account mapping" section: the SID the certificate carries and the
// altSecurityIdentities strings of KB5014754 (strong mapping), each with a copy button, and the PowerShell line;
// for a revoked or expired certificate the warnings say so and the script removes the strings.
import { useState } from 'react';
import { useLoad } from '../components/use-load.js';
import { ErrorBanner, Notice } from '../components/ui.js';
import { call, messageOf } from '../state/api.js';

const LABELS: [prefix: string, label: string][] = [
  ['X509:<I>', 'Issuer and serial (recommended)'],
  ['X509:<SKI>', 'Subject key identifier'],
  ['X509:<SHA1-PUKEY>', 'SHA-1 thumbprint of the certificate'],
];

const labelOf = (s: string): string => LABELS.find(([p]) => s.startsWith(p))?.[1] ?? 'Mapping';

/** `status`: the certificate's, so a revoke in the details panel loads the removal script instead of a stale one. */
export function AdMappingPanel({ id, status }: { id: number; status: string }) {
  const { data, error } = useLoad(() => call('cert.adMapping', { id }), [id, status]);
  const [note, setNote] = useState<string | null>(null);
  const [copyError, setCopyError] = useState<string | null>(null);
  const copy = async (text: string, what: string) => {
    setCopyError(null);
    try {
      await call('clipboard.write', { text });
      setNote(`${what} is on the clipboard.`);
    } catch (e) {
      setCopyError(messageOf(e));
    }
  };
  return (
    <details>
      <summary>Windows account mapping (altSecurityIdentities)</summary>
      <ErrorBanner error={error ?? copyError} />
      {note && <Notice kind="success">{note}</Notice>}
      {data?.warnings.map((w) => (
        <Notice kind="warning" key={w}>
          {w}
        </Notice>
      ))}
      {data && (
        <dl className="props">
          <dt>SID</dt>
          <dd className="mono">{data.sid ?? 'none: map the account with one of the strings below'}</dd>
          {data.strings.map((s) => (
            <div key={s}>
              <dt>{labelOf(s)}</dt>
              <dd className="mono wrap">
                {s}{' '}
                <button type="button" onClick={() => void copy(s, 'The mapping string')} aria-label={`Copy ${labelOf(s)}`}>
                  Copy
                </button>
              </dd>
            </div>
          ))}
          <dt>PowerShell</dt>
          <dd>
            <button type="button" onClick={() => void copy(data.powershell, 'The PowerShell script')}>
              {data.state === 'valid' ? 'Copy script' : 'Copy removal script'}
            </button>
          </dd>
        </dl>
      )}
    </details>
  );
}
