// Registers every channel of the typed API with ipcMain.handle. Each call is checked to come from our
// own window's main frame, showing app://certdesk (sender.ts); then dispatch validates the request
// against the channel's schema and runs the service or host handler.
import { ipcMain, type BrowserWindow } from 'electron';
import { CHANNELS, type HandlerTable, type HostHandlers } from '../../shared/api.js';
import { dispatch } from '../service/dispatch.js';
import { isTrustedSender, UNTRUSTED_SENDER } from './sender.js';

export function registerApi(handlers: HandlerTable & HostHandlers, window: () => BrowserWindow | null): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, request: unknown) => {
      if (!isTrustedSender(event, window())) return { ok: false, code: 'INVALID_INPUT', message: UNTRUSTED_SENDER };
      return dispatch(handlers, channel, request);
    });
  }
}
