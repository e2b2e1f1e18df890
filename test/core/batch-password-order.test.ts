// The batch password list in the CSV's order (issue 14): a step whose bundles reach the disk before the step
// before it still appends its lines after that step's. The first step's disk flush is held back until the
// second step's lines are in the list (what happened before the fix: the list came in completion order) or,
// when they never come because the second step waits its turn, until a hang guard of POLLS polls lets it go.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { runBatch } from '../../electron/core/batch/run-batch.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { nodeFileSink, type FileSink } from '../../electron/core/files.js';
import { newVault } from '../helpers/engine-vault.js';

const POLLS = 200;
const POLL_MS = 10;

/** Password lines in the list now (the header not counted). */
function lines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').length - 1 : 0;
}

test('batch: the password list is in CSV order even when a later step reaches the disk first', { timeout: 300_000 }, async (t) => {
  const { vault, dir } = await newVault(t);
  await createCa(vault, { name: 'Users', subject: 'CN=Order Users CA,O=Example', keyType: 'ec-p256', days: 3650 });
  // Steps of 2 and 4 rows; names that sort differently from the CSV's order, so no sort can fake it.
  const holders = ['Zoe Last', 'Yann Second', 'Xavier Third', 'Anna Fourth', 'Bert Fifth', 'Carl Sixth'];
  const csv = 'name,email\n' + holders.map((h, i) => `${h},u${i}@example.com`).join('\n') + '\n';
  const out = join(dir, 'stick');
  mkdirSync(out);
  const passwordsFile = join(dir, 'passwords.csv');
  let flushes = 0;
  let guardUsed = false;
  const sink: FileSink = {
    ...nodeFileSink,
    flush: async (files, folders) => {
      // The first flush is the first step's bundle files: held until the second step's lines are in the list.
      if (++flushes === 1) {
        let polls = 0;
        while (lines(passwordsFile) === 0 && polls++ < POLLS) await new Promise((r) => setTimeout(r, POLL_MS));
        guardUsed = polls > POLLS;
      }
      return nodeFileSink.flush(files, folders);
    },
  };
  const report = await runBatch(vault, { ca: 'Users', profile: 'user', csv: Buffer.from(csv), sourceName: 'staff.csv', outDir: out, passwordsFile, keyType: 'ec-p256', workers: 1, sink });
  assert.equal(report.issued, holders.length);
  const list = parse(readFileSync(passwordsFile), { columns: true }) as { holder: string; file: string }[];
  assert.deepEqual(list.map((r) => r.holder), holders, 'the password lines follow the CSV lines');
  assert.equal(guardUsed, true, 'the second step never appended while the first step\'s bundles were held back');
});
