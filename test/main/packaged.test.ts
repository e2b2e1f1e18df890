// The main process as a packaged build starts it (app.isPackaged): DevTools cannot be opened, and the
// native binding is the package's own (electron-builder rebuilt it for Electron), not a development cache.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { app } from '../electron-standin/app.js';
import { makeAppDir } from '../electron-standin/app-dir.js';
import { invokeFrom } from '../electron-standin/ipc-main.js';
import { startMain } from '../electron-standin/start.js';
import { allWindows } from '../electron-standin/windows.js';

const work = mkdtempSync(join(tmpdir(), 'certdesk-packaged-'));
after(() => {
  if (app.exitCode === null) app.exit(0);
  rmSync(work, { recursive: true, force: true });
});

test('a packaged build cannot open DevTools and uses the packaged native binding', async () => {
  const appDir = makeAppDir(join(work, 'app'));
  rmSync(join(appDir, 'node_modules'), { recursive: true }); // no development cache: it must not be needed
  await startMain({ appPath: appDir, userData: join(work, 'profile'), isPackaged: true, env: { CERTDESK_VAULT: join(work, 'v.certdesk') } });
  const win = allWindows()[0]!;
  assert.equal((win.options.webPreferences as { devTools: boolean }).devTools, false);
  for (let i = 0; i < 200 && win.webContents.getURL() === ''; i++) await new Promise((r) => setTimeout(r, 10));
  const r = (await invokeFrom(win.webContents, win.webContents.mainFrame, 'vault.create', { passphrase: 'correct horse battery staple' })) as { ok: boolean };
  assert.equal(r.ok, true, JSON.stringify(r));
});
