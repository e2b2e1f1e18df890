// The worker pool behind the engine's off-thread work: answers and errors cross unchanged, a crashed worker
// fails only its own jobs, and the engine's jobs give what the same functions give on this thread.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CertDeskError } from '../../shared/errors.js';
import { buildPfx, parsePfx } from '../../electron/core/pki/pkcs12.js';
import { newEnginePool } from '../../electron/core/workers/engine-pool.js';
import { parsePfxOffThread } from '../../electron/core/workers/off-thread.js';
import { WorkerPool } from '../../electron/core/workers/worker-pool.js';
import { certErr } from '../helpers/engine-vault.js';
import { fixture } from '../helpers/pfx-fixtures.js';
import { tempDir } from '../helpers/tmp.js';

type TestJobs = {
  echo: { input: { text: string; bytes: Uint8Array }; output: { text: string; bytes: Uint8Array } };
  refuse: { input: { code: string }; output: never };
  crash: { input: Record<string, never>; output: never };
};

/** A worker script of the test's own, speaking the pool's protocol through worker-host.ts. */
function testPool(dir: string, size: number): WorkerPool<TestJobs> {
  const host = pathToFileURL(join(import.meta.dirname, '../../electron/core/workers/worker-host.js')).href;
  const errors = pathToFileURL(join(import.meta.dirname, '../../shared/errors.js')).href;
  const script = join(dir, 'test-worker.mjs');
  writeFileSync(
    script,
    `import { serveJobs } from ${JSON.stringify(host)};
import { CertDeskError } from ${JSON.stringify(errors)};
serveJobs({
  echo: async ({ text, bytes }) => ({ value: { text: text.toUpperCase(), bytes }, transfer: [bytes.buffer] }),
  refuse: async ({ code }) => { if (code === 'range') throw new RangeError('out of range'); throw new CertDeskError(code, 'refused here', { field: 'x' }); },
  crash: async () => process.exit(7),
});
`,
  );
  return new WorkerPool<TestJobs>(pathToFileURL(script), { size });
}

test('a job answers through the pool; transferred bytes arrive whole', async (t) => {
  const pool = testPool(tempDir(t), 2);
  t.after(() => pool.close());
  const bytes = new Uint8Array([1, 2, 3]);
  const answers = await Promise.all([1, 2, 3].map((i) => pool.run('echo', { text: `job ${i}`, bytes: bytes.slice() })));
  assert.deepEqual(answers.map((a) => a.text), ['JOB 1', 'JOB 2', 'JOB 3']);
  assert.deepEqual(answers.map((a) => [...a.bytes]), [[1, 2, 3], [1, 2, 3], [1, 2, 3]]);
});

test('errors cross as they were thrown: a CertDeskError keeps its code and details, anything else stays unexpected', async (t) => {
  const pool = testPool(tempDir(t), 1);
  t.after(() => pool.close());
  await assert.rejects(pool.run('refuse', { code: 'PFX_MALFORMED' }), (e: unknown) => {
    assert.ok(e instanceof CertDeskError);
    assert.equal(e.code, 'PFX_MALFORMED');
    assert.deepEqual(e.details, { field: 'x' });
    return true;
  });
  await assert.rejects(pool.run('refuse', { code: 'range' }), (e: unknown) => !(e instanceof CertDeskError) && e instanceof Error && e.name === 'RangeError');
  await assert.rejects(pool.run('nonsense' as 'echo', { text: '', bytes: new Uint8Array(0) }), /unknown worker job "nonsense"/);
});

test('a worker that dies fails its own jobs only, and the next job gets a new worker', async (t) => {
  const pool = testPool(tempDir(t), 1);
  t.after(() => pool.close());
  await assert.rejects(pool.run('crash', {}), certErr('INTERNAL', 'exit code 7'));
  assert.equal((await pool.run('echo', { text: 'again', bytes: new Uint8Array(1) })).text, 'AGAIN');
  await pool.close();
  await assert.rejects(pool.run('echo', { text: 'closed', bytes: new Uint8Array(1) }), certErr('INTERNAL', 'closed'));
});

test('parsePfx on a worker gives what it gives here, wrong passwords included', async (t) => {
  const pool = newEnginePool(1);
  t.after(() => pool.close());
  const f = await fixture('ec-p256');
  const pfx = await buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: f.chain, password: 'Pässwörd-1', encryption: 'legacy', friendlyName: 'alice' });
  const here = await parsePfx(pfx, 'Pässwörd-1');
  const there = await parsePfxOffThread(pfx, 'Pässwörd-1', pool);
  const plain = (c: typeof here) => ({ ...c, privateKeyPkcs8: [...c.privateKeyPkcs8], certificate: [...c.certificate], chain: c.chain.map((x) => [...x]) });
  assert.deepEqual(plain(there), plain(here));
  assert.ok(pfx.length > 0, "the caller's bytes stay with the caller (a copy is moved to the worker)");
  await assert.rejects(parsePfxOffThread(pfx, 'wrong', pool), certErr('PFX_BAD_PASSWORD'));
});
