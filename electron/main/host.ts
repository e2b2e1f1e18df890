// The host channels: native dialogs (open a vault, choose the export folder, save a file), printing and
// PDF of the hand-over slip and installation sheet, and the clipboard. They need Electron, so they live
// here and not in the service.
import { BrowserWindow, clipboard, dialog } from 'electron';
import { writeFileSync } from 'node:fs';
import type { HostHandlers } from '../../shared/api.js';
import type { ReadGrants } from '../service/read-grants.js';
import type { WriteGrants } from '../service/write-grants.js';

/**
 * Prints (or saves as PDF) a self-contained HTML page in a hidden window with JavaScript off and a
 * sandbox, loaded from a data: URL: nothing is written to disk unless the officer saves the PDF.
 */
async function printHtml(parent: BrowserWindow, html: string, title: string, pdf: boolean): Promise<{ done: boolean; pdfPath: string | null }> {
  // AUXCLICK_JS_CHECK: as in main.ts, the 'Auxclick' flag it wants no longer exists; middle-clicks reach
  // setWindowOpenHandler, which denies (and this page has JavaScript off).
  const win = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK
    show: false,
    parent,
    title, // the print job's name
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true },
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  try {
    await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    if (pdf) {
      const target = await dialog.showSaveDialog(parent, { title: `Save ${title} as PDF`, defaultPath: `${title}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
      if (target.canceled || !target.filePath) return { done: false, pdfPath: null };
      const data = await win.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
      writeFileSync(target.filePath, data, { mode: 0o600 });
      return { done: true, pdfPath: target.filePath };
    }
    const done = await new Promise<boolean>((resolve) => win.webContents.print({ silent: false, printBackground: true }, (ok) => resolve(ok)));
    return { done, pdfPath: null };
  } finally {
    win.destroy();
  }
}

/**
 * The host channels. Each dialog's answer is recorded in `grants` (the service's WriteGrants): the service
 * writes only where the officer chose in a dialog this session (electron/service/write-grants.ts); a file picked
 * in dialog.openFile is recorded in `reads` (read-grants.ts): it may be read, not written.
 */
export function hostHandlers(window: () => BrowserWindow, grants: WriteGrants, reads: ReadGrants): HostHandlers {
  return {
    'dialog.openVault': async () => {
      const r = await dialog.showOpenDialog(window(), { title: 'Open a CertDesk vault', properties: ['openFile'], filters: [{ name: 'CertDesk vault', extensions: ['certdesk'] }, { name: 'All files', extensions: ['*'] }] });
      if (r.canceled || !r.filePaths[0]) return null;
      grants.grantFile(r.filePaths[0]);
      return { path: r.filePaths[0] };
    },
    'dialog.chooseFolder': async ({ title }) => {
      const r = await dialog.showOpenDialog(window(), { title, properties: ['openDirectory', 'createDirectory'] });
      if (r.canceled || !r.filePaths[0]) return null;
      grants.grantFolder(r.filePaths[0]);
      return { path: r.filePaths[0] };
    },
    'dialog.saveFile': async ({ title, defaultName }) => {
      const r = await dialog.showSaveDialog(window(), { title, defaultPath: defaultName });
      if (r.canceled || !r.filePath) return null;
      grants.grantFile(r.filePath);
      return { path: r.filePath };
    },
    // A PKCS#11 module (issue 15): the one file outside knownModules() main may load, recorded as a module grant.
    'dialog.openModule': async () => {
      const extensions = process.platform === 'win32' ? ['dll'] : process.platform === 'darwin' ? ['dylib', 'so'] : ['so'];
      const r = await dialog.showOpenDialog(window(), { title: 'Choose a PKCS#11 module', properties: ['openFile'], filters: [{ name: 'PKCS#11 module', extensions }, { name: 'All files', extensions: ['*'] }] });
      if (r.canceled || !r.filePaths[0]) return null;
      grants.grantModule(r.filePaths[0]);
      return { path: r.filePaths[0] };
    },
    'dialog.openFile': async ({ title, filterName, extensions }) => {
      const filters = [...(extensions.length ? [{ name: filterName, extensions }] : []), { name: 'All files', extensions: ['*'] }];
      const r = await dialog.showOpenDialog(window(), { title, properties: ['openFile'], filters });
      if (r.canceled || !r.filePaths[0]) return null;
      reads.grantFile(r.filePaths[0]);
      return { path: r.filePaths[0] };
    },
    'print.html': ({ html, title, pdf }) => printHtml(window(), html, title, pdf),
    'clipboard.write': ({ text }) => {
      clipboard.writeText(text);
      return { done: true as const };
    },
  };
}
