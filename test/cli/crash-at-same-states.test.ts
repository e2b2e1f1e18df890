// helpers/crash-at.ts's same-state marks (CERTDESK_TEST_SAME_STATES), which let cli-crash.test.ts kill once where two
// points leave the same files: a point right after an fsync is marked only when nothing else changed since it. A
// script run under the hook makes each kind of change between two fsyncs (a write, a folder, a file opened for
// writing, a removal, a truncation, a SQLite commit to the vault in WAL mode, a commit that leaves the WAL's length
// and header as they were) and plain runs of fsyncs; only the plain runs' points may be marked.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/tmp.js';

const CRASH_AT = pathToFileURL(fileURLToPath(new URL('../helpers/crash-at.js', import.meta.url))).href;
const BETTER_SQLITE3 = pathToFileURL(fileURLToPath(import.meta.resolve('better-sqlite3'))).href;

const SCRIPT = `
import fs from 'node:fs';
import { createRequire } from 'node:module';
const Database = createRequire(${JSON.stringify(BETTER_SQLITE3)})(${JSON.stringify(fileURLToPath(import.meta.resolve('better-sqlite3')))});
const db = new Database('v.db');
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE t (x)');
const fd = fs.openSync('a.txt', 'w');
fs.writeSync(fd, 'a');                      // 1 write
fs.fsyncSync(fd);                           // 2 fsync
fs.fsyncSync(fd);                           // 3 fsync      (same as 2: nothing between)
fs.writeSync(fd, 'b');                      // 4 write      (same as 3)
fs.fsyncSync(fd);                           // 5 fsync
fs.mkdirSync('d');
fs.fsyncSync(fd);                           // 6 fsync      (a folder made after 5)
fs.closeSync(fs.openSync('new.txt', 'wx'));
fs.fsyncSync(fd);                           // 7 fsync      (a file created after 6)
fs.unlinkSync('new.txt');
fs.fsyncSync(fd);                           // 8 fsync      (a file removed after 7)
db.prepare('INSERT INTO t VALUES (1)').run();
fs.fsyncSync(fd);                           // 9 fsync      (a commit after 8)
db.pragma('wal_checkpoint(TRUNCATE)');
fs.fsyncSync(fd);                           // 10 fsync     (the WAL emptied after 9)
db.prepare('INSERT INTO t VALUES (2)').run();
fs.fsyncSync(fd);                           // 11 fsync     (a commit into the emptied WAL)
db.pragma('wal_checkpoint(PASSIVE)');
db.prepare('INSERT INTO t VALUES (3)').run();
fs.fsyncSync(fd);                           // 12 fsync     (the WAL started over by this commit)
fs.fsyncSync(fd);                           // 13 fsync     (same as 12)
fs.truncateSync('a.txt', 1);
fs.fsyncSync(fd);                           // 14 fsync     (a file truncated after 13)
for (let i = 0; i < 50; i++) db.prepare('INSERT INTO t VALUES (?)').run(i);
db.pragma('wal_checkpoint(PASSIVE)');
db.prepare('INSERT INTO t VALUES (4)').run(); // starts the WAL over, inside its old length
fs.fsyncSync(fd);                           // 15 fsync     (commits after 14)
const wal = () => { const b = fs.readFileSync('v.db-wal'); return b.length + ':' + b.subarray(0, 32).toString('hex'); };
const before = wal();
db.prepare('INSERT INTO t VALUES (5)').run(); // overwrites an old frame: the WAL's length and header stay
fs.writeFileSync('wal-seen.json', JSON.stringify([before, wal()]));
fs.fsyncSync(fd);                           // 16 fsync     (a commit after 15 that only the WAL's contents show)
fs.closeSync(fd);
db.close();
`;

test('crash-at marks a point right after an fsync as the same state only when no write, file, folder or SQLite commit came between', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'run.mjs'), SCRIPT);
  execFileSync(process.execPath, ['--import', CRASH_AT, 'run.mjs'], {
    cwd: dir,
    env: { PATH: process.env.PATH, CERTDESK_TEST_COUNT_OPS: join(dir, 'ops.json'), CERTDESK_TEST_SAME_STATES: join(dir, 'same.json'), CERTDESK_VAULT: 'v.db' },
  });
  const ops = JSON.parse(readFileSync(join(dir, 'ops.json'), 'utf8')) as string[];
  assert.deepEqual(ops.map((o) => o.split(' ')[0]), ['write', 'fsync', 'fsync', 'write', ...Array.from({ length: 12 }, () => 'fsync')]);
  const [walBefore, walAfter] = JSON.parse(readFileSync(join(dir, 'wal-seen.json'), 'utf8')) as string[];
  assert.equal(walAfter, walBefore, 'the last commit left the WAL\'s length and header as they were (the case a size or header check misses)');
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'same.json'), 'utf8')), [3, 4, 13]);
});

test('crash-at refuses to mark same states without the vault to watch', (t) => {
  const dir = tempDir(t);
  writeFileSync(join(dir, 'run.mjs'), '');
  assert.throws(
    () => execFileSync(process.execPath, ['--import', CRASH_AT, 'run.mjs'], { cwd: dir, stdio: 'pipe', env: { PATH: process.env.PATH, CERTDESK_TEST_COUNT_OPS: join(dir, 'ops.json'), CERTDESK_TEST_SAME_STATES: join(dir, 'same.json') } }),
    /CERTDESK_TEST_SAME_STATES needs CERTDESK_VAULT/,
  );
});
