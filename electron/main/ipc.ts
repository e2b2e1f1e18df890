// Registers every channel of the typed API with ipcMain.handle. Each call is checked to come from our
// own window's main frame, loaded from app://certdesk; then dispatch validates the request against the
// channel's schema and runs the service or host handler.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type HandlerTable, type HostHandlers } from '../../shared/api.js';
import { dispatch } from '../service/dispatch.js';

export const APP_ORIGIN = 'app://certdesk';

export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow | null): boolean {
  const frame = event.senderFrame;
  if (!win || win.isDestroyed() || !frame) return false;
  if (event.sender !== win.webContents || frame !== win.webContents.mainFrame) return false;
  try {
    return new URL(frame.url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function registerApi(handlers: HandlerTable & HostHandlers, window: () => BrowserWindow | null): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) => {
      if (!isTrustedSender(event, window())) return { ok: false, code: 'INVALID_INPUT', message: 'refused: the call did not come from the CertDesk window' };
      return dispatch(handlers, channel, request);
    });
  }
}
