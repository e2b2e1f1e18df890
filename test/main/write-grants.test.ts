// The main process writes only where the officer chose in a native dialog this session: the real main
// (dist/electron/main/main.js) under the Electron stand-in, called as the renderer calls it (IPC from the
// window's main frame), with the stand-in's dialogs answering from queues. A renderer naming a file it was
// never given (a ~/.bashrc stand-in in a temporary HOME) as the batch password list is refused and the file
// is untouched; after the save dialog answered that path, the same call works; a path inside a chosen
// folder works; a '..' escape and a symbolic link out of the folder are refused.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { app } from '../electron-standin/app.js';
import { makeAppDir } from '../electron-standin/app-dir.js';
import { dialogs } from '../electron-standin/dialog.js';
import { invokeFrom } from '../electron-standin/ipc-main.js';
import { startMain } from '../electron-standin/start.js';
import { allWindows, type BrowserWindow } from '../electron-standin/windows.js';

const work = mkdtempSync(join(tmpdir(), 'certdesk-grants-'));
const home = join(work, 'home');
const bashrc = join(home, '.bashrc');
const BASHRC = 'export PATH="$HOME/bin:$PATH"\n';
let win: BrowserWindow;

type Result = { ok: true; data: unknown } | { ok: false; code: string; message: string };
interface Job { jobId: string; state: string; issued: number; error: unknown }

const call = (channel: string, request: unknown) => invokeFrom(win.webContents, win.webContents.mainFrame, channel, request) as Promise<Result>;
async function ok<T>(channel: string, request: unknown): Promise<T> {
  const r = await call(channel, request);
  assert.ok(r.ok, `${channel}: ${JSON.stringify(r)}`);
  return r.data as T;
}
async function refused(channel: string, request: unknown, message: string): Promise<void> {
  const r = await call(channel, request);
  assert.deepEqual(r.ok ? r : { ok: r.ok, code: r.code, message: r.message }, { ok: false, code: 'INVALID_INPUT', message });
}

let caId = 0;
let row = 0;
/** batch.start with a fresh one-row CSV (a new holder each time, so no run resumes an earlier one). */
function batch(folder: string, passwordsFile: string) {
  row++;
  const csv = Buffer.from(`name,email\nHolder ${row},holder${row}@example.com\n`).toString('base64');
  return { csv, fileName: `run${row}.csv`, ca: caId, profile: 'user', folder, passwordsFile, keyType: 'ec-p256' };
}
async function runToEnd(request: unknown): Promise<Job> {
  let job = await ok<Job>('batch.start', request);
  for (let i = 0; i < 3000 && job.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    job = await ok<Job>('batch.progress', { jobId: job.jobId });
  }
  assert.equal(job.state, 'done', JSON.stringify(job));
  assert.equal(job.issued, 1);
  return job;
}

const EXACT = ' (this file must be the one a save or open dialog answered, not only a place in a chosen folder)';
const notChosen = (field: string, path: string, what: 'file' | 'folder', dots = false) =>
  `${field}: ${path} was not chosen in a dialog this session${dots ? " (a path with '..' is never one a dialog answered)" : what === 'file' && (field === 'passwordsFile' || field === 'path') ? EXACT : ''}; choose the ${what} with its Choose… button`;

before(async () => {
  mkdirSync(home);
  writeFileSync(bashrc, BASHRC);
  await startMain({ appPath: makeAppDir(join(work, 'app')), userData: join(work, 'profile'), env: { CERTDESK_VAULT: join(work, 'vault.certdesk'), HOME: home } });
  win = allWindows()[0]!;
  for (let i = 0; i < 200 && win.webContents.getURL() === ''; i++) await new Promise((r) => setTimeout(r, 10));
  await ok('vault.create', { passphrase: 'correct horse battery staple' });
  caId = (await ok<{ id: number }>('ca.create', { name: 'Root', subject: 'CN=Grants Root', keyType: 'ec-p256' })).id;
});
after(() => {
  if (app.exitCode === null) app.exit(0);
  rmSync(work, { recursive: true, force: true });
});

test('a password list the renderer names without a dialog is refused and the file is untouched; after the save dialog answered it, it works', { timeout: 120_000 }, async () => {
  const usb = join(work, 'usb');
  mkdirSync(usb);
  // Nothing chosen yet: neither the folder nor the list.
  await refused('batch.start', batch(usb, bashrc), notChosen('folder', usb, 'folder'));
  dialogs.openQueue.push([usb]);
  assert.deepEqual(await ok('dialog.chooseFolder', { title: 'Bundles' }), { path: usb });
  await refused('batch.start', batch(usb, bashrc), notChosen('passwordsFile', bashrc, 'file'));
  assert.equal(readFileSync(bashrc, 'utf8'), BASHRC, 'the file is untouched');
  assert.deepEqual(readdirSync(usb), [], 'no bundle was written');

  dialogs.saveQueue.push(bashrc);
  assert.deepEqual(await ok('dialog.saveFile', { title: 'Save the password list', defaultName: 'passwords.csv' }), { path: bashrc });
  await runToEnd(batch(usb, bashrc));
  // The chosen file (not empty, so no header line) got the row's password line appended.
  const after = readFileSync(bashrc, 'utf8');
  assert.equal(after.slice(0, BASHRC.length), BASHRC);
  assert.match(after.slice(BASHRC.length), new RegExp(`^Holder ${row},,holder-${row}-[0-9a-f]+/holder-${row}\\.pfx,\\S+\r\n$`));
  assert.equal(readdirSync(usb).length, 1, 'one bundle folder');
});

test('inside a chosen folder works; a ".." escape and symbolic links out of it are refused', { timeout: 120_000 }, async () => {
  const usb = join(work, 'usb2');
  const lists = join(work, 'lists');
  const outside = join(work, 'outside');
  mkdirSync(usb);
  mkdirSync(lists);
  mkdirSync(outside);
  dialogs.openQueue.push([usb], [lists]);
  await ok('dialog.chooseFolder', { title: 'Bundles' });
  await ok('dialog.chooseFolder', { title: 'Password lists' });

  // A sub-folder of the chosen bundle folder works. The password list is appended to, so it must be the very
  // file a save dialog answered: a new file in a chosen folder is not enough.
  mkdirSync(join(usb, 'march'));
  await refused('batch.start', batch(join(usb, 'march'), join(lists, 'march.csv')), notChosen('passwordsFile', join(lists, 'march.csv'), 'file'));
  dialogs.saveQueue.push(join(lists, 'march.csv'));
  await ok('dialog.saveFile', { title: 'Save the password list', defaultName: 'march.csv' });
  await runToEnd(batch(join(usb, 'march'), join(lists, 'march.csv')));
  assert.match(readFileSync(join(lists, 'march.csv'), 'utf8'), /^holder,alias,file,password\r\nHolder \d+,/);

  // The officer's home folder chosen for bundles: its hidden files and folders are still not writable.
  dialogs.openQueue.push([home]);
  await ok('dialog.chooseFolder', { title: 'Bundles' });
  mkdirSync(join(home, '.config', 'autostart'), { recursive: true });
  await refused('batch.start', batch(join(home, '.config', 'autostart'), join(lists, 'march.csv')), notChosen('folder', join(home, '.config', 'autostart'), 'folder'));
  assert.deepEqual(readdirSync(join(home, '.config', 'autostart')), []);
  assert.equal(readFileSync(bashrc, 'utf8').startsWith(BASHRC), true);

  // '..' out of the chosen folder.
  const escape = join(lists, '..', 'escape.csv');
  const escapeText = `${lists}/../escape.csv`;
  await refused('batch.start', batch(usb, escapeText), notChosen('passwordsFile', escapeText, 'file', true));
  assert.equal(existsSync(escape), false);
  await refused('batch.start', batch(`${usb}/../outside`, join(lists, 'x.csv')), notChosen('folder', `${usb}/../outside`, 'folder', true));

  // A folder link inside the chosen folder that leads out of it.
  symlinkSync(outside, join(lists, 'link'));
  await refused('batch.start', batch(usb, join(lists, 'link', 'pw.csv')), notChosen('passwordsFile', join(lists, 'link', 'pw.csv'), 'file'));
  symlinkSync(outside, join(usb, 'link'));
  await refused('batch.start', batch(join(usb, 'link'), join(lists, 'y.csv')), notChosen('folder', join(usb, 'link'), 'folder'));
  // A file link inside the chosen folder pointing at a file that was never chosen.
  const profile = join(home, '.profile');
  writeFileSync(profile, 'umask 022\n');
  symlinkSync(profile, join(lists, 'innocent.csv'));
  await refused('batch.start', batch(usb, join(lists, 'innocent.csv')), notChosen('passwordsFile', join(lists, 'innocent.csv'), 'file'));
  assert.equal(readFileSync(profile, 'utf8'), 'umask 022\n');
  assert.deepEqual(readdirSync(outside), [], 'nothing was written out of the chosen folders');
});

test('every other write the renderer names is checked: export, renew, issue, CSR, CRL folders and a vault file', async () => {
  const nowhere = join(work, 'never-chosen');
  mkdirSync(nowhere);
  const draft = { mode: 'per-user', profile: 'user', ca: caId, recipient: { name: 'Ana Lima' }, sans: [{ type: 'email', value: 'ana@example.com' }], keyType: 'ec-p256' };
  await refused('issue.run', { ...draft, delivery: { folder: nowhere, encryption: 'modern' } }, notChosen('delivery.folder', nowhere, 'folder'));
  await refused('cert.export', { id: 1, folder: nowhere, encryption: 'modern' }, notChosen('folder', nowhere, 'folder'));
  await refused('cert.renew', { id: 1, revokeOld: false, folder: nowhere, encryption: 'modern' }, notChosen('folder', nowhere, 'folder'));
  await refused('csr.sign', { csr: 'AAAA', ca: caId, profile: 'server', folder: nowhere }, notChosen('folder', nowhere, 'folder'));
  await refused('crl.publish', { folder: nowhere }, notChosen('folder', nowhere, 'folder'));
  assert.deepEqual(readdirSync(nowhere), []);
  const vaultFile = join(home, 'other.certdesk');
  await refused('vault.create', { passphrase: 'correct horse battery staple', path: vaultFile }, notChosen('path', vaultFile, 'file'));
  await refused('vault.open', { path: bashrc + '.other' }, notChosen('path', bashrc + '.other', 'file'));
  assert.equal(existsSync(vaultFile), false);
  // Chosen in the folder dialog, the same CRL publish goes through.
  dialogs.openQueue.push([nowhere]);
  await ok('dialog.chooseFolder', { title: 'Publish to' });
  const published = await ok<{ folder: string }>('crl.publish', { folder: nowhere });
  assert.equal(published.folder, nowhere);
});
