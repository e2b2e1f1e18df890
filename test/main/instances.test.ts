// Starting CertDesk twice, and starting it without the native SQLite build: the main process in this test
// process (the first instance) and run.js child processes (later starts), all under the stand-in.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { app } from '../electron-standin/app.js';
import { makeAppDir, ROOT } from '../electron-standin/app-dir.js';
import { startMain } from '../electron-standin/start.js';
import { allWindows } from '../electron-standin/windows.js';

const RUN = join(ROOT, 'dist', 'test', 'electron-standin', 'run.js');
const work = mkdtempSync(join(tmpdir(), 'certdesk-instances-'));
const appDir = makeAppDir(join(work, 'app'));
const userData = join(work, 'profile');

function start(dir: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, dir], { env: { ...process.env, CERTDESK_STANDIN_TRACE: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

before(() => startMain({ appPath: appDir, userData, env: { CERTDESK_VAULT: join(work, 'vault.certdesk') } }));
after(() => {
  if (app.exitCode === null) app.exit(0);
  rmSync(work, { recursive: true, force: true });
});

test('a second start on the same profile opens no window and focuses the first one', async () => {
  assert.equal(allWindows().length, 1);
  const first = allWindows()[0]!;
  first.minimize();
  const focused = first.focusCount;
  const second = await start(appDir, { CERTDESK_STANDIN_USER_DATA: userData });
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /BrowserWindow \d+ created/, 'the second instance created no window');
  for (let i = 0; i < 200 && first.focusCount === focused; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(first.focusCount, focused + 1, 'the first window was focused');
  assert.equal(first.isMinimized(), false, 'and restored');
  assert.equal(allWindows().length, 1, 'still one window');
});

test('another profile is another instance', async () => {
  // Started with the native binding removed, it also shows what a missing Electron build does: an error
  // box naming the build it looked for, and exit code 1, before any window.
  const bare = join(work, 'bare-app');
  makeAppDir(bare);
  rmSync(join(bare, 'node_modules'), { recursive: true });
  const r = await start(bare, { CERTDESK_STANDIN_USER_DATA: join(work, 'other-profile') });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /\[stand-in error box\] CertDesk cannot open its vault: no better-sqlite3 build for electron-\d+\.\d+\.\d+-linux-x64 in .*certdesk-native; run "npm start"/);
  assert.doesNotMatch(r.stderr, /BrowserWindow \d+ created/);
});
