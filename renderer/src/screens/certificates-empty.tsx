// The Certificates screen when its list is empty: none issued yet (issue one, or a batch), or none matching the
// search and filters (clear them).
import { EmptyState } from '../components/empty-state.js';
import type { CertFilter } from '../state/certificates.js';
import { useNav } from '../state/nav.js';

/** True when `filter` narrows the list (a search or any filter; the sort does not). */
export function isFiltered(filter: CertFilter): boolean {
  return Boolean(filter.search?.trim()) || filter.status !== undefined || filter.ca !== undefined || filter.profile !== undefined || filter.expiringWithinDays !== undefined;
}

/** The empty list's message; `onClear` clears the search and filters (keeping the sort). */
export function CertificatesEmpty({ filter, onClear }: { filter: CertFilter; onClear: () => void }) {
  const go = useNav((s) => s.go);
  if (isFiltered(filter)) {
    return (
      <EmptyState title="No certificate matches" testId="certificates-empty" actions={[{ label: 'Clear the search and filters', onClick: onClear }]}>
        Nothing in the vault matches this search and these filters. Clear them to see every certificate.
      </EmptyState>
    );
  }
  return (
    <EmptyState
      title="No certificates yet"
      testId="certificates-empty"
      actions={[
        { label: 'Issue a certificate', onClick: () => go('issue') },
        { label: 'Batch from CSV', onClick: () => go('batch') },
      ]}
    >
      Certificates you issue, sign from a request or make from a CSV file are listed here. Start with one for a person or a device.
    </EmptyState>
  );
}
