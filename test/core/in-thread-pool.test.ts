// The CLI's engine pool without threads (in-thread-pool.ts): the same jobs give the same answers and the same
// errors as on a worker, buffers handed over are moved as postMessage moves them, and the certdesk program
// (runCli) switches the shared pool to it while a batch's own pool keeps its workers.
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { CertDeskError } from '../../shared/errors.js';
import { runCli } from '../../electron/cli/run.js';
import { defaultWorkers, ROWS_PER_WORKER } from '../../electron/core/batch/run-batch.js';
import { buildPfx } from '../../electron/core/pki/pkcs12.js';
import type { EngineJobs } from '../../electron/core/workers/engine-jobs.js';
import { newEnginePool, sharedEnginePool, type EnginePool } from '../../electron/core/workers/engine-pool.js';
import { InThreadPool } from '../../electron/core/workers/in-thread-pool.js';
import { WorkerPool } from '../../electron/core/workers/worker-pool.js';
import { libraryCsr } from '../helpers/csr.js';
import { fixture } from '../helpers/pfx-fixtures.js';
// After the engine's modules, which load the reflect-metadata polyfill @peculiar/x509 needs.
import * as x509 from '@peculiar/x509';

/** What a job answered or the error it gave, as plain data to compare across pools. */
async function outcome<K extends keyof EngineJobs & string>(pool: EnginePool, kind: K, input: EngineJobs[K]['input']): Promise<unknown> {
  try {
    return { value: JSON.parse(JSON.stringify(await pool.run(kind, structuredClone(input)), (_k, v: unknown) => (v instanceof Uint8Array ? [...v] : v))) };
  } catch (e) {
    assert.ok(e instanceof Error);
    return { error: e.name, certdesk: e instanceof CertDeskError ? { code: e.code, details: e.details } : null, message: e.message };
  }
}

test('every deterministic engine job gives the same answer and the same error in this thread as on a worker', async (t) => {
  const worker = newEnginePool(1);
  const here = new InThreadPool();
  t.after(() => Promise.all([worker.close(), here.close()]));
  const f = await fixture('ec-p256');
  const pfx = await buildPfx({ privateKeyPkcs8: f.pkcs8, certificate: f.leaf, chain: f.chain, password: 'Pässwörd-1', encryption: 'modern', friendlyName: 'alice' });
  const csr = await libraryCsr(new x509.Name('CN=Ada Example'), [new x509.SubjectAlternativeNameExtension([{ type: 'email', value: 'ada@example.com' }])]);
  const cases: { [K in keyof EngineJobs]?: EngineJobs[K]['input'][] } = {
    'pfx.parse': [{ der: pfx, password: 'Pässwörd-1' }, { der: pfx, password: 'wrong' }, { der: new Uint8Array([0x30, 0x03, 1, 2, 3]), password: 'x' }],
    'csr.read': [{ data: csr, field: 'csr' }, { data: new TextEncoder().encode('not a request'), field: 'csr' }],
    'cert.extensions': [{ der: f.leaf }],
    'cert.iisOneToOne': [{ der: f.leaf }, { der: new Uint8Array([1, 2, 3]) }],
  };
  let errors = 0;
  for (const [kind, inputs] of Object.entries(cases) as [keyof EngineJobs, EngineJobs[keyof EngineJobs]['input'][]][]) {
    for (const [i, input] of inputs.entries()) {
      const there = await outcome(worker, kind, input);
      assert.deepEqual(await outcome(here, kind, input), there, `${kind} #${i}`);
      if ('error' in (there as object)) errors++;
    }
  }
  assert.equal(errors, 4, 'the refusals were compared too (a wrong password, a malformed PFX, a non-request, a non-certificate)');
});

test('in this thread, buffers in the transfer list are moved as postMessage moves them, and answers are copies', async (t) => {
  const here = new InThreadPool();
  t.after(() => here.close());
  const f = await fixture('ec-p256');
  const der = new Uint8Array(f.leaf);
  const value = await here.run('cert.extensions', { der }, [der.buffer]);
  assert.equal(der.byteLength, 0, 'the caller no longer holds the transferred bytes');
  assert.ok(value.length > 0);
  const key = await here.run('key.generate', { keyType: 'ec-p256' });
  assert.ok(key.pkcs8.byteLength > 0 && key.spki.byteLength > 0);
});

test('the in-thread pool refuses after close, and an unknown job, as a WorkerPool does', async () => {
  const here = new InThreadPool();
  await assert.rejects(here.run('nonsense' as 'cert.extensions', { der: new Uint8Array(1) }), /unknown worker job "nonsense"/);
  await here.close();
  await assert.rejects(here.run('cert.extensions', { der: new Uint8Array(1) }), (e: unknown) => e instanceof CertDeskError && e.code === 'INTERNAL' && /closed/.test(e.message));
});

test('runCli makes the shared pool run in this thread; pools made for batches keep their workers', async (t) => {
  assert.ok(sharedEnginePool() instanceof WorkerPool, 'before the CLI runs, the shared pool is a worker pool (the desktop app)');
  let out = '';
  const status = await runCli(['--help'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => {} } });
  assert.equal(status, 0, out);
  assert.ok(sharedEnginePool() instanceof InThreadPool, 'after runCli, jobs run in this thread');
  const batch = newEnginePool(1);
  t.after(() => batch.close());
  assert.ok(batch instanceof WorkerPool);
  // A batch's default worker count: one per ROWS_PER_WORKER rows, at most one per core.
  assert.deepEqual([1, 2, ROWS_PER_WORKER].map(defaultWorkers), [1, 1, 1]);
  assert.equal(defaultWorkers(100 * ROWS_PER_WORKER), availableParallelism());
});
