// The CLI's engine pool without threads (in-thread-pool.ts): the same jobs give the same answers and the same
// errors as on a worker, buffers handed over are moved as postMessage moves them, and the certdesk program
// (runCli) switches the shared pool to it while a batch's own pool keeps its workers, unless the batch is small
// enough for one worker and names no worker count: that one runs in the CLI's thread too. A batch worker runs with
// its young and old generation limits (crypto-pool.ts).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Worker } from 'node:worker_threads';
import { parse } from 'csv-parse/sync';
import { CertDeskError } from '../../shared/errors.js';
import { runCli } from '../../electron/cli/run.js';
import { WORKER_OLD_GENERATION_MB, WORKER_YOUNG_GENERATION_MB } from '../../electron/core/batch/crypto-pool.js';
import { defaultWorkers, ROWS_PER_WORKER } from '../../electron/core/batch/run-batch.js';
import { buildPfx } from '../../electron/core/pki/pkcs12.js';
import { parsePfx } from '../../electron/core/pki/pkcs12-parse.js';
import type { EngineJobs } from '../../electron/core/workers/engine-jobs.js';
import { batchEnginePool, newEnginePool, sharedEnginePool, type EnginePool } from '../../electron/core/workers/engine-pool.js';
import { InThreadPool } from '../../electron/core/workers/in-thread-pool.js';
import { WorkerPool } from '../../electron/core/workers/worker-pool.js';
import { certdeskInFolder, initTestVault } from '../helpers/cli.js';
import { libraryCsr } from '../helpers/csr.js';
import { fixture } from '../helpers/pfx-fixtures.js';
import { tempDir } from '../helpers/tmp.js';
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
  const appBatch = batchEnginePool(1, true);
  t.after(() => appBatch.close());
  assert.ok(appBatch instanceof WorkerPool, "the desktop app's one-worker batch keeps its worker: its event loop answers the window");
  let out = '';
  const status = await runCli(['--help'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => {} } });
  assert.equal(status, 0, out);
  assert.ok(sharedEnginePool() instanceof InThreadPool, 'after runCli, jobs run in this thread');
  const batch = newEnginePool(1);
  t.after(() => batch.close());
  assert.ok(batch instanceof WorkerPool);
  const small = batchEnginePool(1, true);
  assert.ok(small instanceof InThreadPool, "in the CLI, a batch of one worker's rows runs in this thread");
  await small.close();
  assert.ok(sharedEnginePool() instanceof InThreadPool);
  assert.equal((await sharedEnginePool().run('key.generate', { keyType: 'ec-p256' })).spki.byteLength > 0, true, "closing the batch's pool leaves the shared one open");
  const named = batchEnginePool(1, false);
  const wide = batchEnginePool(2, true);
  t.after(() => Promise.all([named.close(), wide.close()]));
  assert.ok(named instanceof WorkerPool, 'a worker count the request names (--workers 1) is kept');
  assert.ok(wide instanceof WorkerPool, 'a batch of two workers or more keeps them');
  // A batch's default worker count: one per ROWS_PER_WORKER rows, at most one per core.
  assert.deepEqual([1, 2, ROWS_PER_WORKER].map(defaultWorkers), [1, 1, 1]);
  assert.equal(defaultWorkers(100 * ROWS_PER_WORKER), availableParallelism());
});

test('certdesk issue-batch: two rows start no worker thread and make working bundles; --workers 1 starts one', async (t) => {
  const dir = tempDir(t);
  const env = { CERTDESK_VAULT: join(dir, 'v.certdesk'), CERTDESK_PASSPHRASE: 'in-thread batch passphrase' };
  await initTestVault(env.CERTDESK_VAULT, env.CERTDESK_PASSPHRASE);
  assert.equal((await certdeskInFolder(['ca', 'create', '--name', 'Users', '--subject', 'CN=In-thread Users CA', '--key', 'ec-p256'], env, dir)).status, 0);
  let workers = 0;
  const limits: Promise<NonNullable<Worker['resourceLimits']>>[] = [];
  const counted = (w: Worker) => {
    workers++;
    // Read once the thread runs: a Worker reports its limits only while it does.
    limits.push(new Promise((resolve) => w.once('online', () => resolve(w.resourceLimits ?? {}))));
  };
  process.on('worker', counted);
  t.after(() => process.off('worker', counted));
  const batch = async (csv: string, out: string, extra: string[]) => {
    writeFileSync(join(dir, csv), `name,email\n${csv} One,one@example.com\n${csv} Two,two@example.com\n`);
    mkdirSync(join(dir, out));
    const r = await certdeskInFolder(['issue-batch', '--ca', 'Users', '--profile', 'user', '--csv', csv, '--out', out, '--passwords', `${out}.csv`, '--key', 'ec-p256', '--json', ...extra], env, dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((r.json!.batch as { issued: number }).issued, 2);
    const lines = parse(readFileSync(join(dir, `${out}.csv`)), { columns: true }) as { file: string; password: string }[];
    assert.equal(lines.length, 2);
    for (const { file, password } of lines) assert.ok(await parsePfx(new Uint8Array(readFileSync(join(dir, out, file))), password), `${file} opens with its password`);
  };
  await batch('small', 'stick-a', []);
  assert.equal(workers, 0, 'no worker thread started for a two-row batch');
  await batch('named', 'stick-b', ['--workers', '1']);
  assert.equal(workers, 1, 'the worker the request asked for started');
  const started = (await limits[0])!;
  assert.equal(started.maxOldGenerationSizeMb, WORKER_OLD_GENERATION_MB, "the batch worker's old generation is capped (memory of long batches)");
  assert.equal(started.maxYoungGenerationSizeMb, WORKER_YOUNG_GENERATION_MB);
});
