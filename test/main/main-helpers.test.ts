// The main process's plain-Node helpers, tested directly: which better-sqlite3 build an unpackaged app
// loads (native-binding.ts), and where a self-test keeps its files (self-test.ts). main.js runs both under
// the stand-in in main-process.test.ts and self-test.test.ts; these cover the cases a start does not reach.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { electronBindingPath } from '../../electron/main/native-binding.js';
import { processAlive, removeQuietly, selfTestPlace } from '../../electron/main/self-test.js';
import { tempDir } from '../helpers/tmp.js';

function withElectronVersion<T>(version: string, fn: () => T): T {
  const had = Object.getOwnPropertyDescriptor(process.versions, 'electron');
  Object.defineProperty(process.versions, 'electron', { value: version, enumerable: true, configurable: true });
  try {
    return fn();
  } finally {
    if (had) Object.defineProperty(process.versions, 'electron', had);
    else delete (process.versions as Record<string, string>).electron;
  }
}

test('the Electron build of better-sqlite3 is found by version, platform and arch, or named when missing', (t) => {
  const app = tempDir(t);
  const cache = join(app, 'node_modules', '.cache', 'certdesk-native');
  const tag = `electron-45.4.1-${process.platform}-${process.arch}`;
  withElectronVersion('45.4.1', () => {
    assert.throws(() => electronBindingPath(app), (e: Error) => e.message.includes(`no better-sqlite3 build for ${tag}`) && e.message.includes('run "npm start"'));
    mkdirSync(join(cache, `electron-44.0.0-${process.platform}-${process.arch}`), { recursive: true });
    writeFileSync(join(cache, 'README'), `electron-44.0.0-${process.platform}-${process.arch}\n`);
    assert.throws(() => electronBindingPath(app), (e: Error) => e.message.includes('Present: electron-44.0.0'), 'another version is not taken, and is named');
    mkdirSync(join(cache, tag), { recursive: true });
    writeFileSync(join(cache, tag, 'better_sqlite3.node'), '');
    assert.equal(electronBindingPath(app), join(cache, tag, 'better_sqlite3.node'));
  });
});

test("a self-test's folder: made with its pid; folders of self-tests that are gone are swept, running ones kept", (t) => {
  const tmp = tempDir(t);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp; // os.tmpdir() reads it on each call
  t.after(() => (saved === undefined ? delete process.env.TMPDIR : (process.env.TMPDIR = saved)));
  const gonePid = spawnSync(process.execPath, ['-e', '0']).pid!;
  assert.equal(processAlive(gonePid), false);
  assert.equal(processAlive(process.pid), true);
  const stale = join(tmp, 'certdesk-self-test-stale');
  const running = join(tmp, 'certdesk-self-test-running');
  const foreign = join(tmp, 'certdesk-self-test-no-pid');
  for (const [dir, pid] of [[stale, gonePid], [running, process.pid]] as const) {
    mkdirSync(join(dir, 'profile'), { recursive: true });
    writeFileSync(join(dir, 'pid'), String(pid));
  }
  mkdirSync(foreign);
  const place = selfTestPlace();
  assert.equal(existsSync(stale), false, 'the folder of a self-test that is gone is removed');
  assert.equal(existsSync(running), true, 'a running self-test keeps its folder');
  assert.equal(existsSync(foreign), true, 'a folder without a pid file is not ours to remove');
  assert.ok(place.root.startsWith(join(tmp, 'certdesk-self-test-')));
  assert.deepEqual([place.userData, place.vault, place.exportDir], [join(place.root, 'profile'), join(place.root, 'vault.certdesk'), join(place.root, 'export')]);
  assert.equal(Number(readFileSync(join(place.root, 'pid'), 'utf8')), process.pid);
  assert.equal(removeQuietly(place.root), true);
  assert.equal(existsSync(place.root), false);
});
