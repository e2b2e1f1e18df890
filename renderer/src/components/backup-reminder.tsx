// The dashboard's backup reminder (issue 15): shown when the last verified backup is older than the set number
// of days or older than the last issued certificate, with the way to Settings → Backups. Not shown for a vault
// that holds nothing yet (no CA, no certificate).
import { call } from '../state/api.js';
import { useNav } from '../state/nav.js';
import { useLoad } from './use-load.js';

export function BackupReminder() {
  const { data } = useLoad(() => call('vault.backupStatus', {}), []);
  const go = useNav((s) => s.go);
  if (!data?.reminderDue || data.lastIssuedAt === null) return null;
  return (
    <div className="banner warning" role="status" data-testid="backup-reminder">
      Back up the vault: {data.reason}.{' '}
      <button type="button" className="link" onClick={() => go('settings')}>
        Backups in Settings
      </button>
    </div>
  );
}
