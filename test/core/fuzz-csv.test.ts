// Seeded fuzzing of the batch CSV parser and validator (core/batch/csv.ts, validate.ts): 300 mutations of a
// valid sheet (bit flips, truncations, inserted random bytes, duplicated slices, 0x00/0x80/0xff bytes).
// Every outcome is either a clean check (rows, no problems) or problems that each name a line of the file,
// a known column or none, and a reason: never an exception.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Profile } from '../../shared/domain.js';
import { BUILTIN_PROFILES } from '../../electron/core/issuance/builtin-profiles.js';
import { BATCH_COLUMNS } from '../../electron/core/batch/csv.js';
import { checkBatchCsv, type BatchContext } from '../../electron/core/batch/validate.js';
import { fuzzCase, fuzzSeed, mutate, Rng } from '../helpers/fuzz.js';

const CASES = 300;
const user = BUILTIN_PROFILES.find((p) => p.id === 'user') as Profile;
const ctx: BatchContext = { profile: user, caName: 'Example Users', caNotAfter: new Date('2030-03-01T00:00:00Z'), now: new Date('2025-03-01T00:00:00Z') };

const SHEET = [
  'name,email,upn,alias,days,phone,description',
  'Ana Lima,ana@example.com,ana@corp.example,ana-laptop,365,+49 30 1234,Berlin office',
  '"Zoë Ørsted","zoe@example.com;z.orsted@example.com",,zoe,,,"Copenhagen; ""HQ"""',
  'Дмитрий Иванов,dmitry@example.com,,dmitry,730,,"two\r\nlines"',
  '山田 太郎,taro@example.com,taro@corp.example,taro,,,',
  'Bob Example,bob@example.com,,,,,',
].join('\r\n') + '\r\n';

/** Lines as the parser numbers them: CRLF, LF and a lone CR each end one. */
function physicalLines(data: Uint8Array): number {
  let n = 1;
  for (let i = 0; i < data.length; i++) if (data[i] === 0x0a || (data[i] === 0x0d && data[i + 1] !== 0x0a)) n++;
  return n;
}

test('300 seeded mutations of a batch CSV: each is a clean check or line-numbered problems, never an exception', (t) => {
  const base = new TextEncoder().encode(SHEET);
  const control = checkBatchCsv(base, ctx);
  assert.deepEqual(control.problems, [], 'the unmutated sheet is valid (positive control)');
  assert.deepEqual(control.rows.map((r) => r.line), [2, 3, 4, 6, 7]);

  const seed = fuzzSeed();
  const rng = new Rng(seed);
  let clean = 0;
  let refused = 0;
  for (let i = 0; i < CASES; i++) {
    const where = fuzzCase(seed, i);
    let data: Uint8Array = base;
    for (let m = 1 + rng.int(3); m > 0; m--) data = mutate(data, rng);
    let result: ReturnType<typeof checkBatchCsv>;
    try {
      result = checkBatchCsv(data, ctx);
    } catch (e) {
      assert.fail(`${where}: threw ${(e as Error).stack}`);
    }
    const lines = physicalLines(data);
    if (result.problems.length === 0) {
      clean++;
      assert.equal(result.rows.length, result.rowCount, `${where}: a clean check issues every row`);
      for (const r of result.rows) {
        assert.ok(Number.isInteger(r.line) && r.line >= 2 && r.line <= lines, `${where}: row line ${r.line} of ${lines}`);
        assert.ok(r.name.length > 0, `${where}: a row without a name passed`);
      }
    } else {
      refused++;
      // A row with a problem of its own is left out of the good rows (runBatch issues none of them then).
      const problemLines = new Set(result.problems.map((p) => p.line));
      for (const r of result.rows) assert.ok(!problemLines.has(r.line), `${where}: the row on line ${r.line} has a problem and is still among the good rows`);
      for (const p of result.problems) {
        assert.ok(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines, `${where}: problem line ${p.line} of ${lines}: ${p.reason}`);
        assert.ok(p.column === null || (BATCH_COLUMNS as readonly string[]).includes(p.column), `${where}: column ${String(p.column)}`);
        assert.equal(typeof p.reason, 'string', where);
        assert.ok(p.reason.length > 10, `${where}: reason "${p.reason}"`);
      }
    }
  }
  // Both outcomes occur: the mutations reach the checks, and some leave a valid sheet.
  assert.equal(clean + refused, CASES);
  assert.ok(clean > 0 && refused > 0, `clean ${clean}, refused ${refused}`);
  t.diagnostic(`seed ${seed}: ${CASES} cases, ${clean} clean, ${refused} refused with line-numbered problems`);
});
