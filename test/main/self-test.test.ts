// `electron . --self-test` (npm run smoke), here with the stand-in as `electron`: run.js starts the app
// folder's package.json main in a child process, with Debian's Chromium as the window's renderer, so the
// scripted flow runs the real renderer, the real preload bundle, IPC through the sender check, the service
// and the native binding. It must pass, say one line per step, exit 0 and leave nothing behind; with a
// broken preload it must fail and exit 1.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { CHROMIUM } from '../helpers/browser.js';
import { tempDir } from '../helpers/tmp.js';
import { needTools } from '../helpers/tools.js';
import { CHANNEL_NAMES } from '../../shared/channels.js';
import { makeAppDir, ROOT } from '../electron-standin/app-dir.js';

const RUN = join(ROOT, 'dist', 'test', 'electron-standin', 'run.js');

function selfTest(appDir: string, tmp: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, appDir, '--self-test'], {
      env: { ...process.env, TMPDIR: tmp, CERTDESK_STANDIN_CHROMIUM: CHROMIUM, CERTDESK_STANDIN_USER_DATA: join(tmp, 'default-profile') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function chromium(t: TestContext): boolean {
  return needTools(t, CHROMIUM);
}

test('the self-test passes through the real window, step by step, and leaves nothing behind', { timeout: 120_000 }, async (t) => {
  if (!chromium(t)) return;
  const work = tempDir(t);
  const tmp = join(work, 'tmp');
  mkdirSync(tmp);
  const appDir = makeAppDir(join(work, 'app'));
  const r = await selfTest(appDir, tmp);
  const lines = r.stdout.trim().split('\n');
  assert.equal(r.code, 0, `exit code\n${r.stdout}\n${r.stderr}`);
  assert.deepEqual(
    lines.map((l) => l.replace(/: .*$/, '')),
    [
      'ok   1 the window is on app://certdesk and its preload exposes one function per channel',
      'ok   2 the window shows the first screen',
      'ok   3 create the vault',
      'ok   4 create a root CA',
      'ok   5 issue a user certificate with a legacy PFX',
      'ok   6 the PFX opens with the password shown',
      'ok   7 PKCS#11 support loads in this runtime',
      'ok   8 lock the vault',
      'self-test passed',
    ],
  );
  // Each line carries what its check saw, so a step that no longer checks changes what it prints.
  assert.match(lines[0]!, new RegExp(`: ${CHANNEL_NAMES.length} channels on app://certdesk/index\\.html \\(`));
  assert.match(lines[1]!, /: Welcome to CertDesk \(/);
  assert.match(lines[2]!, /: unlocked: .*certdesk-self-test-[^/]+\/vault\.certdesk \(/);
  assert.match(lines[3]!, /: C=DE, O=CertDesk self-test, CN=CertDesk Self-Test Root \(|CN=CertDesk Self-Test Root/);
  assert.match(lines[4]!, /: legacy PFX, \d+ files in .*certdesk-self-test-[^/]+\/export\//);
  assert.match(lines[5]!, /: self-test\.pfx opens; its key matches the certificate issued to .*CN=Self Test/);
  assert.match(lines[6]!, /: pkcs11js loaded in Node [\d.]+ \(modules ABI \d+\); \d+ known PKCS#11 module\(s\) on this machine \(/);
  assert.match(lines[7]!, /: locked \(/);
  assert.deepEqual(readdirSync(tmp), [], 'the temporary vault, bundle and profile are gone');
});

test('the self-test fails, and says where, when the window gets no API', { timeout: 120_000 }, async (t) => {
  if (!chromium(t)) return;
  const work = tempDir(t);
  const tmp = join(work, 'tmp');
  mkdirSync(tmp);
  // An app folder whose preload exposes nothing: everything else is the real build.
  const appDir = join(work, 'app');
  makeAppDir(appDir);
  const { rmSync } = await import('node:fs');
  rmSync(join(appDir, 'dist'));
  mkdirSync(join(appDir, 'dist', 'preload'), { recursive: true });
  for (const d of ['electron', 'shared', 'ui']) symlinkSync(join(ROOT, 'dist', d), join(appDir, 'dist', d), 'dir');
  writeFileSync(join(appDir, 'dist', 'preload', 'preload.cjs'), '// exposes nothing\n');
  const r = await selfTest(appDir, tmp);
  assert.equal(r.code, 1, `exit code\n${r.stdout}\n${r.stderr}`);
  assert.match(
    r.stdout,
    new RegExp(`^FAIL 1 the window is on app://certdesk and its preload exposes one function per channel: window\.certdesk has 0 functions, ${CHANNEL_NAMES.length} expected$`, 'm'),
  );
  assert.doesNotMatch(r.stdout, /self-test passed/);
  assert.deepEqual(readdirSync(tmp), [], 'nothing left behind after a failure either');
});
