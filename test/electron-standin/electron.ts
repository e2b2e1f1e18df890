// The stand-in for the `electron` module in the main process: what `import { app, ... } from 'electron'`
// gets when main runs under loader.ts. Only the APIs CertDesk's main process uses are imitated; each
// file cites the Electron documentation of the behaviour it imitates. Node's own URL, fetch,
// Request/Response and fs stay the real ones, as they are in Electron's main process.
import { app } from './app.js';
import { clipboard, dialog } from './dialog.js';
import { ipcMain } from './ipc-main.js';
import { protocol } from './protocol.js';
import { session } from './session.js';
import { BrowserWindow } from './windows.js';

export { app, BrowserWindow, clipboard, dialog, ipcMain, protocol, session };
export default { app, BrowserWindow, clipboard, dialog, ipcMain, protocol, session };
