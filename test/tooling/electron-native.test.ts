// build/electron-native.mjs builds better-sqlite3 for a runtime's ABI into a folder of its own, leaving
// node_modules/better-sqlite3/build alone. Electron's headers cannot be downloaded here, so this runs the
// same path (copy, prebuild-install, node-gyp) for Node's ABI, then opens a real vault database through
// that file the way the Electron main process does (useSqliteBinding + openSqlite).
// A from-source build takes about 70 s on a 2-core machine.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSqlite, useSqliteBinding } from '../../electron/core/vault/sqlite.js';
import { needTools, runOk } from '../helpers/tools.js';
import { tempDir } from '../helpers/tmp.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = join(ROOT, 'build', 'electron-native.mjs');
const PACKAGE_BUILD = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

test('electron-native.mjs builds a working better-sqlite3 for a given runtime into its own folder', { timeout: 15 * 60_000 }, (t) => {
  // Without a prebuilt binary, node-gyp compiles: Python 3, make and a C++ compiler.
  if (process.platform !== 'win32' && !needTools(t, 'python3', 'make', 'c++')) return;
  const out = join(tempDir(t), 'node-build');
  const before = statSync(PACKAGE_BUILD).mtimeMs;

  const started = Date.now();
  const first = runOk(process.execPath, [SCRIPT, '--runtime', 'node', '--target', process.versions.node, '--out', out], { cwd: ROOT });
  t.diagnostic(`build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const file = join(out, 'better_sqlite3.node');
  assert.ok(existsSync(file), `no ${file}; output:\n${first.stderr}`);
  assert.equal(statSync(PACKAGE_BUILD).mtimeMs, before, "the package's own build was touched");
  assert.match(readFileSync(file).toString('latin1'), new RegExp(`node_register_module_v${process.versions.modules}\\b`));

  // A second run finds the build and does nothing.
  const again = runOk(process.execPath, [SCRIPT, '--runtime', 'node', '--out', out], { cwd: ROOT });
  assert.match(again.stderr, /exists/);

  useSqliteBinding(file);
  t.after(() => useSqliteBinding(undefined));
  const db = openSqlite(join(tempDir(t), 'vault.certdesk'));
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    db.prepare('INSERT INTO t (v) VALUES (?)').run('hello');
    assert.equal(db.prepare('SELECT v FROM t').pluck().get(), 'hello');
    // Linux shows which shared object is loaded: it must be ours, not the package's.
    if (process.platform === 'linux') assert.ok(readFileSync('/proc/self/maps', 'utf8').includes(file), `${file} is not loaded`);
  } finally {
    db.close();
  }
});
