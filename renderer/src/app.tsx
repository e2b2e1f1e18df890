// The window: the vault gate (first run, unlock) and, once unlocked, the navigation and one screen.
import { useEffect } from 'react';
import { focusIsLost } from './components/focus.js';
import { SCREENS, SCREEN_TITLES, useNav, type Screen } from './state/nav.js';
import { POLL_MS, useSession } from './state/session.js';
import { FirstRun, Unlock } from './screens/vault.js';
import { DashboardScreen } from './screens/dashboard.js';
import { AuthoritiesScreen } from './screens/authorities.js';
import { IssueScreen } from './screens/issue.js';
import { BatchScreen } from './screens/batch.js';
import { CsrScreen } from './screens/csr.js';
import { CertificatesScreen } from './screens/certificates.js';
import { CrlScreen } from './screens/crls.js';
import { SettingsScreen } from './screens/settings.js';
import { AuditScreen } from './screens/audit.js';
import { RecipientsScreen } from './screens/recipients.js';
import { useRecipients } from './state/recipients.js';
import { useIssue } from './state/issue.js';
import { useCertificates } from './state/certificates.js';
import { usePending } from './state/pending.js';
import { PendingBanner } from './components/pending-banner.js';
import { CaUnlockDialog } from './components/ca-unlock-dialog.js';

const SCREEN_VIEWS: Record<Screen, () => React.JSX.Element> = {
  dashboard: DashboardScreen,
  issue: IssueScreen,
  batch: BatchScreen,
  csr: CsrScreen,
  certificates: CertificatesScreen,
  recipients: RecipientsScreen,
  authorities: AuthoritiesScreen,
  crls: CrlScreen,
  settings: SettingsScreen,
  audit: AuditScreen,
};

export function App() {
  const status = useSession((s) => s.status);
  const lockCount = useSession((s) => s.lockCount);
  const refresh = useSession((s) => s.refresh);
  const activity = useSession((s) => s.activity);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    const onActivity = () => activity();
    window.addEventListener('keydown', onActivity, true);
    window.addEventListener('pointerdown', onActivity, true);
    return () => {
      clearInterval(timer);
      window.removeEventListener('keydown', onActivity, true);
      window.removeEventListener('pointerdown', onActivity, true);
    };
  }, [refresh, activity]);

  // Locking forgets what was on screen: a password shown once, the certificate pages.
  useEffect(() => {
    if (lockCount === 0) return;
    useIssue.getState().reset();
    usePending.getState().forget();
    useCertificates.getState().forget();
    useRecipients.getState().forget();
  }, [lockCount]);

  if (!status) return <main className="gate">Starting…</main>;
  if (status.state === 'no-vault') return <FirstRun />;
  if (status.state === 'locked') return <Unlock />;
  return <Shell />;
}

function Shell() {
  const screen = useNav((s) => s.screen);
  const go = useNav((s) => s.go);
  const lock = useSession((s) => s.lock);
  const View = SCREEN_VIEWS[screen];
  useEffect(() => {
    document.title = `${SCREEN_TITLES[screen]} — CertDesk`;
    // A screen change that removed what had focus (a dashboard tile, the unlock form) leaves it nowhere: give it
    // to the screen's heading. A screen that moves it itself (the dashboard after unlocking) still wins: this
    // runs first and only while focus is lost.
    const timer = setTimeout(() => {
      if (focusIsLost()) document.getElementById('screen-title')?.focus();
    }, 30);
    return () => clearTimeout(timer);
  }, [screen]);
  return (
    <div className="shell">
      <nav aria-label="Main" className="sidebar">
        <div className="brand">CertDesk</div>
        <ul>
          {SCREENS.map((s) => (
            <li key={s}>
              <button type="button" aria-current={s === screen ? 'page' : undefined} onClick={() => go(s)}>
                {SCREEN_TITLES[s]}
              </button>
            </li>
          ))}
        </ul>
        <button type="button" className="lock" onClick={() => void lock()}>
          Lock vault
        </button>
      </nav>
      <main className="content" aria-labelledby="screen-title">
        <h1 id="screen-title" tabIndex={-1}>
          {SCREEN_TITLES[screen]}
        </h1>
        <PendingBanner />
        <View />
        {/* Any action refused because its CA needs its officers (shares) asks here and is then made again. */}
        <CaUnlockDialog />
      </main>
    </div>
  );
}
