// The stand-in's `electron` command: node dist/test/electron-standin/run.js APP_DIR [ARGS...] starts the
// app in APP_DIR as `electron APP_DIR ARGS...` would, in this process, and exits with the app's exit code.
// Environment: CERTDESK_STANDIN_CHROMIUM=PATH gives windows a real renderer (Debian's Chromium);
// CERTDESK_STANDIN_USER_DATA sets Electron's default userData folder; CERTDESK_STANDIN_PACKAGED=1 makes
// app.isPackaged true; CERTDESK_STANDIN_TRACE=1 reports each BrowserWindow created on stderr.
import { resolve } from 'node:path';
import { attachRenderer } from './renderer.js';
import { startMain } from './start.js';

const [appDir, ...args] = process.argv.slice(2);
if (!appDir) {
  process.stderr.write('usage: run.js APP_DIR [ARGS...]\n');
  process.exit(2);
}
process.argv.splice(2); // main sees [node, run.js, APP_DIR?] + ARGS like [electron, APP_DIR, ARGS]
process.argv.push(resolve(appDir));

let closeBrowser = async (): Promise<void> => {};
const chromiumPath = process.env.CERTDESK_STANDIN_CHROMIUM;
if (chromiumPath) {
  const { chromium } = await import('playwright-core');
  const { chromiumDriver } = await import('./chromium.js');
  const { CHROMIUM_ARGS } = await import('../helpers/browser.js');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  closeBrowser = () => browser.close();
  attachRenderer(chromiumDriver(browser));
}

await startMain({
  appPath: resolve(appDir),
  userData: process.env.CERTDESK_STANDIN_USER_DATA,
  isPackaged: process.env.CERTDESK_STANDIN_PACKAGED === '1',
  args,
  onExit: (code) => void closeBrowser().finally(() => process.exit(code)),
});
