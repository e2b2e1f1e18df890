// Size limits at the edges (core/input-limits.ts): the CLI's one file reader checks the size before reading,
// the batch CSV parser caps bytes and rows, and the typed API's schemas cap the renderer's Base64 and PEM.
import assert from 'node:assert/strict';
import { closeSync, openSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isCertDeskError } from '../../shared/errors.js';
import { checkInputSize, formatBytes, INPUT_LIMITS, MAX_CSV_ROWS } from '../../electron/core/input-limits.js';
import { parseBatchCsv } from '../../electron/core/batch/csv.js';
import { readInputFile } from '../../electron/core/read-input.js';
import { newService } from '../helpers/service.js';
import { tempDir } from '../helpers/tmp.js';

const invalid = (message: string) => (e: unknown) => {
  assert.ok(isCertDeskError(e), `a CertDeskError, got ${String(e)}`);
  assert.equal(e.code, 'INVALID_INPUT');
  assert.equal(e.message, message);
  return true;
};

test('the limits: what each kind allows, and the message at one byte over', () => {
  assert.deepEqual(INPUT_LIMITS, { csr: 262_144, cert: 262_144, key: 65_536, pfx: 1_048_576, csv: 10_485_760, secret: 65_536, template: 131_072 });
  assert.equal(MAX_CSV_ROWS, 100_000);
  checkInputSize('pfx', INPUT_LIMITS.pfx, 'a.pfx');
  assert.throws(() => checkInputSize('pfx', INPUT_LIMITS.pfx + 1, 'a.pfx'), invalid('a.pfx: the PKCS#12 (PFX) file is 1,048,577 bytes (1.0 MiB); the limit is 1,048,576 bytes (1.0 MiB)'));
  assert.equal(formatBytes(52_428_800), '52,428,800 bytes (50.0 MiB)');
});

test('readInputFile: a file at the limit is read; one byte over, a 3 GiB file and an endless device are refused', (t) => {
  const dir = tempDir(t);
  const atLimit = join(dir, 'at-limit.key');
  writeFileSync(atLimit, Buffer.alloc(INPUT_LIMITS.key, 0x41));
  assert.equal(readInputFile(atLimit, 'key', 'key').length, INPUT_LIMITS.key);

  const over = join(dir, 'over.key');
  writeFileSync(over, Buffer.alloc(INPUT_LIMITS.key + 1, 0x41));
  assert.throws(() => readInputFile(over, 'key', 'key'), invalid(`${over}: the private key is 65,537 bytes (64.0 KiB); the limit is 65,536 bytes (64.0 KiB)`));

  // Sparse: 3 GiB by fstat, nothing on disk. Read whole, it would fail (over Node's 2 GiB buffer) or take
  // seconds; refused by its size, its message names the size.
  const huge = join(dir, 'huge.csv');
  closeSync(openSync(huge, 'w'));
  truncateSync(huge, 3 * 1024 ** 3);
  assert.throws(() => readInputFile(huge, 'csv', 'csv'), invalid(`${huge}: the batch CSV is 3,221,225,472 bytes (3072.0 MiB); the limit is 10,485,760 bytes (10.0 MiB)`));

  // A device has no size: it is read up to one byte past the limit, then refused.
  assert.throws(() => readInputFile('/dev/zero', 'secret', 'PFX password'), invalid('/dev/zero: the password file is more than 65,536 bytes (64.0 KiB); the limit is 65,536 bytes (64.0 KiB)'));

  assert.throws(() => readInputFile(join(dir, 'missing.csr'), 'csr', 'csr'), (e: unknown) => isCertDeskError(e) && e.code === 'IO_ERROR' && e.message === `csr: cannot read ${join(dir, 'missing.csr')} (ENOENT)`);
  assert.throws(() => readInputFile(dir, 'csr', 'csr'), (e: unknown) => isCertDeskError(e) && e.code === 'IO_ERROR' && e.message === `csr: cannot read ${dir} (EISDIR)`);
});

test('batch CSV: over 10 MiB is one problem on line 1; 100,000 rows are read; the 100,001st row is a problem on its line', () => {
  const big = new Uint8Array(INPUT_LIMITS.csv + 1).fill(0x61);
  assert.deepEqual(parseBatchCsv(big), {
    rows: [],
    problems: [{ line: 1, column: null, reason: 'the file is 10,485,761 bytes (10.0 MiB); a batch CSV may be at most 10,485,760 bytes (10.0 MiB): split it into several files' }],
    delimiter: ',',
  });

  const sheet = (n: number) => new TextEncoder().encode('name,email\n' + Array.from({ length: n }, (_, i) => `User ${i},u${i}@example.com\n`).join(''));
  const full = parseBatchCsv(sheet(MAX_CSV_ROWS));
  assert.deepEqual(full.problems, []);
  assert.equal(full.rows.length, MAX_CSV_ROWS);
  assert.equal(full.rows.at(-1)!.line, MAX_CSV_ROWS + 1);

  const tooMany = parseBatchCsv(sheet(MAX_CSV_ROWS + 1));
  assert.deepEqual(tooMany.problems, [
    { line: MAX_CSV_ROWS + 2, column: null, reason: 'the file has more than 100,000 rows, the most one batch takes: split it into several files (the rows from this one on were not read)' },
  ]);
  assert.equal(tooMany.rows.length, MAX_CSV_ROWS, 'the rows before it were read, and are not issued (the check stops at the problem)');
});

test('the typed API refuses an over-size CSV, CSR, PFX or PEM from the renderer, naming the field and the limit', async (t) => {
  const svc = newService(t);
  // Base64 text one group (4 characters, 3 bytes) longer than the limit allows: its message says about limit-rounded-up + 3 bytes.
  const over = (bytes: number) => 'A'.repeat(Math.ceil(bytes / 3) * 4 + 4);
  const refused = async (channel: string, request: unknown, message: string) => {
    const r = await (svc.api as unknown as Record<string, (req: unknown) => Promise<{ ok: boolean; code?: string; message?: string }>>)[channel]!(request);
    assert.deepEqual({ ok: r.ok, code: r.code, message: r.message }, { ok: false, code: 'INVALID_INPUT', message }, channel);
  };
  await refused('batch.check', { csv: over(INPUT_LIMITS.csv), ca: 1, profile: 'user' }, 'batch.check: csv: the batch CSV is about 10,485,765 bytes (10.0 MiB); the limit is 10,485,760 bytes (10.0 MiB)');
  await refused('csr.inspect', { csr: over(INPUT_LIMITS.csr) }, 'csr.inspect: csr: the certificate request is about 262,149 bytes (256.0 KiB); the limit is 262,144 bytes (256.0 KiB)');
  await refused('ca.import', { name: 'X', pfx: { data: over(INPUT_LIMITS.pfx), password: '' } }, 'ca.import: pfx.data: the PKCS#12 (PFX) file is about 1,048,581 bytes (1.0 MiB); the limit is 1,048,576 bytes (1.0 MiB)');
  await refused('ca.import', { name: 'X', pem: { cert: 'A'.repeat(INPUT_LIMITS.cert + 1), key: '' } }, 'ca.import: pem.cert: the certificate is 262,145 characters; the limit is 262,144');
  await refused('ca.import', { name: 'X', pem: { cert: '', key: 'A'.repeat(INPUT_LIMITS.key + 1) } }, 'ca.import: pem.key: the private key is 65,537 characters; the limit is 65,536');
  // At the limit the schema lets it through: the handler answers (no vault yet).
  const atLimit = await svc.api['batch.check']({ csv: 'A'.repeat(Math.ceil(INPUT_LIMITS.csv / 3) * 4), ca: 1, profile: 'user' });
  assert.equal(atLimit.ok ? 'ok' : atLimit.code, 'VAULT_NOT_FOUND');
});
