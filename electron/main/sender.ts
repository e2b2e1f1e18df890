// Who may call the typed API: the IPC sender check, on its own (type-only Electron imports) so that it
// is unit-tested without the stand-in, and used by ipc.ts for every call.
import type { BrowserWindow, IpcMainInvokeEvent } from 'electron';
import { isAppUrl } from './app-url.js';

export const UNTRUSTED_SENDER = 'refused: the call did not come from the CertDesk window';

/**
 * True only for a call from `win`'s own webContents, from its main frame (not a subframe), while that
 * frame shows app://certdesk (isAppUrl: scheme and host compared, never `origin`). `senderFrame` is
 * null when the frame navigated or was destroyed before the call arrived
 * (https://www.electronjs.org/docs/latest/api/structures/ipc-main-invoke-event).
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, win: BrowserWindow | null): boolean {
  const frame = event.senderFrame;
  if (!win || win.isDestroyed() || !frame) return false;
  if (event.sender !== win.webContents || frame !== win.webContents.mainFrame) return false;
  return isAppUrl(frame.url);
}
