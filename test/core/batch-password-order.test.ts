// The batch password list in the CSV's order (issue 14): a step whose bundles reach the disk before the step
// before it still appends its lines after that step's. The first step's disk flush (its bundles' files, known by
// its holders' folder names, not by coming first: the second step's bundles may reach the disk first) is held
// back until any lines are in the list (what happened before the fix: the second step appended in completion
// order) or, when none come because the second step waits its turn, until a hang guard of POLLS polls lets it go.
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
  let held = 0;
  let guardUsed = false;
  // The first step is the CSV's first two rows; its bundle folders are named after their holders.
  const firstStep = (files: string[]) => files.some((f) => /zoe/i.test(f)) && files.some((f) => /yann/i.test(f));
  const sink: FileSink = {
    ...nodeFileSink,
    flush: async (files, folders) => {
      // The first step's bundle files: held until lines are in the list, or the guard lets them go.
      if (files.length > 0 && firstStep(files) && ++held === 1) {
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
  assert.equal(held, 1, "the first step's bundle files were flushed once, together");
  assert.equal(guardUsed, true, 'the second step never appended while the first step\'s bundles were held back');
});
