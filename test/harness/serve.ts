// npm run harness [-- --vault FILE] [--port N]: the real screens in any browser, without Electron.
// A fresh temporary vault unless --vault names one; prints the URL (with its token) to open.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startHarness } from './server.js';

const { values } = parseArgs({ options: { vault: { type: 'string' }, port: { type: 'string' } } });
const workDir = mkdtempSync(join(tmpdir(), 'certdesk-harness-'));
const vaultPath = values.vault ? resolve(values.vault) : join(workDir, 'vault.certdesk');
const harness = await startHarness({ vaultPath, workDir, port: values.port ? Number(values.port) : undefined });
process.stdout.write(
  `CertDesk test harness (not the app: no Electron, test stand-ins for dialogs and printing)\n` +
    `  vault:         ${vaultPath}${values.vault ? '' : ' (new; created on the first screen)'}\n` +
    `  export folder: ${join(workDir, 'export')} (what "Choose…" answers)\n` +
    `Open ${harness.url}\nCtrl-C stops it.\n`,
);
const stop = () => void harness.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
