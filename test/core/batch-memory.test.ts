// Issue 13, peak memory flat in the number of rows: a batch keeps no step's objects once the step is delivered.
// Every step's delivery items, their private keys and the step's row slice are registered with a
// FinalizationRegistry (runBatch's onStep); a full GC runs at each step, and at step k everything of the steps
// up to k - 4 must have been collected (runBatch delivers at most two steps at once, and the step before those
// has been awaited: a margin of one step for the finalizers, which run in a later task than the GC).
// A batch that held its rows' objects (a results array, a map of keys, the deliveries' promises) fails here.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runBatch, STEP_ROWS } from '../../electron/core/batch/run-batch.js';
import { createCa } from '../../electron/core/issuance/cas.js';
import { newVault } from '../helpers/engine-vault.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ROWS = 300;

test(`a ${ROWS}-row batch keeps no delivered step's items, keys or rows alive (FinalizationRegistry after full GCs)`, { timeout: 600_000 }, async (t) => {
  const { vault, dir } = await newVault(t);
  await createCa(vault, { name: 'Users', subject: 'CN=Memory Users CA', keyType: 'ec-p256', days: 3650 });
  const csv = 'name,email\n' + Array.from({ length: ROWS }, (_, i) => `User ${i},user${i}@example.com\n`).join('');
  const out = join(dir, 'stick');
  mkdirSync(out);

  // Objects registered and collected, by step.
  const registered: number[] = [];
  const collected: number[] = [];
  const registry = new FinalizationRegistry<number>((step) => {
    collected[step] = (collected[step] ?? 0) + 1;
  });
  const register = (step: number, o: object) => {
    registry.register(o, step);
    registered[step] = (registered[step] ?? 0) + 1;
  };
  // At step k: [k, objects of steps 0..k-4 registered, of those still alive].
  const checks: [number, number, number][] = [];
  const stepSizes: number[] = [];

  const report = await runBatch(vault, {
    ca: 'Users',
    profile: 'user',
    csv: Buffer.from(csv),
    sourceName: 'memory.csv',
    outDir: out,
    passwordsFile: join(dir, 'passwords.csv'),
    keyType: 'ec-p256',
    workers: 2,
    onStep(rows, items) {
      const k = stepSizes.length;
      stepSizes.push(rows.length);
      register(k, rows);
      for (const item of items) {
        register(k, item);
        assert.ok(item.privateKeyPkcs8 instanceof Uint8Array, `step ${k}: an issued row's delivery carries its key`);
        register(k, item.privateKeyPkcs8);
      }
      gc();
      let old = 0;
      let alive = 0;
      for (let j = 0; j <= k - 4; j++) {
        old += registered[j]!;
        alive += registered[j]! - (collected[j] ?? 0);
      }
      checks.push([k, old, alive]);
    },
  });
  assert.equal(report.issued, ROWS);
  // Steps of 2, 4, 8, 16, then STEP_ROWS: 13 steps, each registering its row slice, its items and their keys.
  const expectedSizes = [2, 4, 8, 16, ...Array.from({ length: Math.ceil((ROWS - 30) / STEP_ROWS) }, (_, i) => Math.min(STEP_ROWS, ROWS - 30 - i * STEP_ROWS))];
  assert.deepEqual(stepSizes, expectedSizes);
  assert.deepEqual(registered, expectedSizes.map((n) => 1 + 2 * n));
  // From step 4 on, every object of the steps at least four behind is gone.
  assert.deepEqual(
    checks.filter(([k]) => k >= 4),
    checks.filter(([k]) => k >= 4).map(([k, old]) => [k, old, 0]),
  );
  assert.ok(checks.at(-1)![1] > (ROWS * 2) / 2, 'the last check covers more than half the rows');

  // Once the batch has returned, nothing of any step is left.
  for (let i = 0; i < 5 && collected.reduce((a, b) => a + b, 0) < registered.reduce((a, b) => a + b, 0); i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.deepEqual(collected, registered);
});
