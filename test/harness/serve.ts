// npm run harness [-- --vault FILE]: the real main process under the Electron stand-in, its window's page
// served to any browser on 127.0.0.1 (not the app: no Electron, stand-in dialogs and printing).
// A fresh temporary vault unless --vault names one; prints the URL (with its token) to open.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startHarness } from './server.js';

const { values } = parseArgs({ options: { vault: { type: 'string' } } });
const workDir = mkdtempSync(join(tmpdir(), 'certdesk-harness-'));
const vaultPath = values.vault ? resolve(values.vault) : join(workDir, 'vault.certdesk');
const harness = await startHarness({ vaultPath, workDir });
process.stdout.write(
  `CertDesk test harness: the main process under the Electron stand-in (stand-in dialogs and printing)\n` +
    `  vault:         ${vaultPath}${values.vault ? '' : ' (new; created on the first screen)'}\n` +
    `  export folder: ${join(workDir, 'export')} (what "Choose…" answers)\n` +
    `Open ${harness.url}\nCtrl-C stops it.\n`,
);
// The stand-in's bridge does not hold the process open by itself; this does, until Ctrl-C.
const keepAlive = setInterval(() => {}, 1 << 30);
const stop = () => {
  clearInterval(keepAlive);
  void harness.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
