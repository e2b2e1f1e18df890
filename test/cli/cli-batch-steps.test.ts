// Issue 13, batch steps: a batch's disk work is grouped per step of rows (2, 4, 8, 16, then 32 at most), not
// done row by row. Counted with helpers/crash-at.ts (CERTDESK_TEST_COUNT_OPS): the password list gets one
// write and one fsync per step, the output folder one fsync per step; and every holder has a bundle and a line.
// `ca create` runs in this process (certdeskInFolder); the batch stays a process of its own, for the --import hook that counts.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { certdeskAsync, certdeskInFolder, initTestVault } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const CRASH_AT = pathToFileURL(fileURLToPath(new URL('../helpers/crash-at.js', import.meta.url))).href;

test('a 40-row batch runs in 5 steps (2, 4, 8, 16, 10 rows): 5 password-list fsyncs and 5 output-folder fsyncs, not 40', { timeout: 600_000 }, async (t) => {
  const dir = tempDir(t);
  const env = { CERTDESK_VAULT: join(dir, 'v.certdesk'), CERTDESK_PASSPHRASE: 'batch steps passphrase' };
  await initTestVault(env.CERTDESK_VAULT, env.CERTDESK_PASSPHRASE);
  assert.equal((await certdeskInFolder(['ca', 'create', '--name', 'Users', '--subject', 'CN=Step Users CA', '--key', 'ec-p256'], env, dir)).status, 0);
  mkdirSync(join(dir, 'stick'));
  const total = 40;
  writeFileSync(join(dir, 'rows.csv'), 'name,email\n' + Array.from({ length: total }, (_, i) => `Person ${i + 1},person${i + 1}@example.com\n`).join(''));
  const opsFile = join(dir, 'ops.json');
  const args = ['issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', 'rows.csv', '--out', 'stick', '--passwords', 'passwords.csv', '--key', 'ec-p256', '--json'];
  const run = await certdeskAsync(args, { ...env, CERTDESK_TEST_COUNT_OPS: opsFile }, dir, ['--import', CRASH_AT]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal((run.json!.batch as { issued: number }).issued, total);

  const ops = JSON.parse(readFileSync(opsFile, 'utf8')) as string[];
  const count = (op: string) => ops.filter((o) => o === op).length;
  // Paths as the command line gave them. The header line, then one write and one fsync per step.
  assert.equal(count('write passwords.csv'), 1 + 5, 'password list writes: the header and one per step');
  assert.equal(count('fsync passwords.csv'), 1 + 5, 'password list fsyncs: the header and one per step');
  assert.equal(count('fsync stick'), 5, 'output folder fsyncs: one per step');
  assert.equal(ops.filter((o) => o.startsWith('rename ')).length, total, 'one rename per bundle');

  const folders = readdirSync(join(dir, 'stick'));
  assert.equal(folders.length, total);
  const lines = parse(readFileSync(join(dir, 'passwords.csv')), { columns: true }) as { holder: string; file: string }[];
  assert.deepEqual(lines.map((l) => l.holder).sort(), Array.from({ length: total }, (_, i) => `Person ${i + 1}`).sort());
  assert.deepEqual(lines.map((l) => l.file.split('/')[0]).sort(), folders.sort(), 'each line names its bundle');
});
